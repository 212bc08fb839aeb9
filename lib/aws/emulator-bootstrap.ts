// Prepares an AWS emulator (moto server started with INITIAL_NO_AUTH_ACTION_COUNT from
// emulatorUnauthenticatedCalls) the way a vendor prepares real accounts: an administrator in each,
// the portal's least-privilege identity, and ECR repositories holding images. After the
// administrators' unauthenticated calls every request must be signed.
import "server-only";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { brokerRolePolicyDocument, brokerRoleTrustPolicy, DEFAULT_BROKER_ROLE_NAME } from "./broker-role";
import { BOUNDARY_POLICY_ACTIONS } from "./login-policy";
import { portalPolicyDocument, type PortalPolicyOptions } from "./portal-policy";
import { vendorAdmin, type Credentials } from "./vendor-admin";

// CreateUser, PutUserPolicy and CreateAccessKey of one account's administrator.
const UNAUTHENTICATED_CALLS_PER_ACCOUNT = 3;

/** The unsigned requests moto must serve before it enforces signatures: one administrator per account. */
export function emulatorUnauthenticatedCalls(otherAccounts = 0) {
  return UNAUTHENTICATED_CALLS_PER_ACCOUNT * (1 + otherAccounts);
}

export type EmulatorRepository = { name: string; tags: string[]; foreignStatement?: object };

type Options = {
  endpoint: string;
  region: string;
  iamPath: string;
  loginPolicyName: string;
  boundaryPolicyName: string;
  repositories: EmulatorRepository[];
  /** An empty bucket for CloudTrail's log files, which the portal may read. */
  cloudTrailBucket?: string;
  /**
   * The vendor's other accounts holding repositories: each gets an administrator of its own (moto
   * must be started with emulatorUnauthenticatedCalls(otherAccountIds.length)).
   */
  otherAccountIds?: string[];
  /** The role those accounts give the portal, which the portal's emulator policy may then assume. */
  registryRoleName?: string;
};

export const EMULATOR_CLOUDTRAIL_BUCKET = "pullgate-cloudtrail";

function clients(endpoint: string, region: string, credentials: Credentials) {
  const base = { endpoint, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient({ ...base, region: "us-east-1" }),
    sts: new STSClient({ ...base, region }),
  };
}

/**
 * An IAM client whose unsigned calls act in `accountId`: moto takes the account of a request from
 * its x-moto-account-id header before the key (a header AWS does not have; only the bootstrap's
 * unauthenticated calls carry it, every later call acts in the account of its key).
 */
function unauthenticatedIamIn(endpoint: string, accountId: string) {
  const iam = new IAMClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" }, maxAttempts: 1 });
  iam.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers["x-moto-account-id"] = accountId;
      return next(args);
    },
    { step: "finalizeRequest", name: "motoAccountId" },
  );
  return iam;
}

const ADMINISTRATOR = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

async function createUserWithInlinePolicy(iam: IAMClient, userName: string, policy: object): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: userName, PolicyName: `${userName}-policy`, PolicyDocument: JSON.stringify(policy) }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

/**
 * What the emulator can hold for the portal: moto evaluates every call against Resource "*" and
 * takes any Condition for a denial, so it gets the real policy's actions alone. It only
 * authenticates the portal; the tests put an IAM policy simulator in front of it that authorizes
 * every call under the real policy, as AWS does.
 */
function emulatorPortalPolicy(options: PortalPolicyOptions) {
  const actions = portalPolicyDocument(options).Statement.flatMap((s) => s.Action);
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...new Set(actions)], Resource: "*" }] };
}

/**
 * The inline policy name the tests' oracle leaves out when it weighs a role: the emulator reads
 * any Condition as a denial, so a role's sessions get their actions on "*" under this name too.
 */
export const EMULATOR_ONLY_ROLE_POLICY = "emulator-only";

export async function bootstrapEmulator(opts: Options) {
  const unauthenticated = clients(opts.endpoint, opts.region, { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" });
  const admin = await createUserWithInlinePolicy(unauthenticated.iam, "vendor-administrator", ADMINISTRATOR);
  // Before any signed call: moto counts its unauthenticated calls across every account.
  const otherAccounts: { accountId: string; admin: Credentials }[] = [];
  for (const otherAccountId of opts.otherAccountIds ?? []) {
    const iam = unauthenticatedIamIn(opts.endpoint, otherAccountId);
    otherAccounts.push({ accountId: otherAccountId, admin: await createUserWithInlinePolicy(iam, "vendor-administrator", ADMINISTRATOR) });
    iam.destroy();
  }

  const asAdmin = clients(opts.endpoint, opts.region, admin);
  const identity = await asAdmin.sts.send(new GetCallerIdentityCommand({}));
  const accountId = identity.Account!;
  const portal = await createUserWithInlinePolicy(
    asAdmin.iam,
    "pullgate-portal",
    emulatorPortalPolicy({
      accountId,
      iamPath: opts.iamPath,
      loginPolicyName: opts.loginPolicyName,
      boundaryPolicyName: opts.boundaryPolicyName,
      cloudTrailBucket: opts.cloudTrailBucket ?? EMULATOR_CLOUDTRAIL_BUCKET,
      registryRoleName: opts.registryRoleName,
    }),
  );

  const repositories = vendorAdmin({ endpoint: opts.endpoint, region: opts.region, accountId, credentials: admin });
  // The broker role, as the vendor's setup makes it (the template's BrokerRole), trusting the portal alone.
  await repositories.createRole(DEFAULT_BROKER_ROLE_NAME, {
    path: opts.iamPath,
    trustPolicy: brokerRoleTrustPolicy(`arn:aws:iam::${accountId}:user/pullgate-portal`),
    inlinePolicies: {
      PullgateBroker: brokerRolePolicyDocument({ partition: "aws" }),
      [EMULATOR_ONLY_ROLE_POLICY]: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: BOUNDARY_POLICY_ACTIONS, Resource: "*" }] },
    },
  });
  for (const repo of opts.repositories) {
    await repositories.createRepository(repo.name, { tags: repo.tags, foreignStatement: repo.foreignStatement });
  }
  repositories.destroy();
  for (const c of [unauthenticated, asAdmin]) Object.values(c).forEach((client) => client.destroy());
  return { accountId, admin, portal, otherAccounts };
}
