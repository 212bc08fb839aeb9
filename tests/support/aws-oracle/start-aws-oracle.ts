import { execFileSync } from "node:child_process";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { emulatorAccountView, type Principal } from "./account-view";
import { createOracle } from "./oracle-proxy";

type Credentials = { accessKeyId: string; secretAccessKey: string };

// The names the emulator account is prepared with (see bootstrapEmulator's callers).
const IAM_PATH = "/pullgate/";
const LOGIN_POLICY = "AmazonEC2ContainerRegistryLogin";
const BOUNDARY_POLICY = "PullgateCustomerBoundary";
const PORTAL_USER = "pullgate-portal";

/** The key the emulator account's trail encrypts its log files with (SSE-KMS). */
export const trailKmsKeyArn = (accountId: string, region: string) => `arn:aws:kms:${region}:${accountId}:key/pullgate-trail-logs`;

/**
 * The portal's policy exactly as `npm run aws:portal-policy` prints it for this account; with
 * `registryRoleName`, as printed for a vendor whose other accounts give the portal that role.
 */
export function printedPortalPolicy(accountId: string, region: string, cloudTrailBucket: string, registryRoleName?: string): unknown {
  const args = [accountId, IAM_PATH, LOGIN_POLICY, BOUNDARY_POLICY, cloudTrailBucket, "--cloudtrail-kms-key", trailKmsKeyArn(accountId, region)];
  if (registryRoleName) args.push("--registry-role", registryRoleName);
  return JSON.parse(execFileSync("npm", ["run", "--silent", "aws:portal-policy", "--", ...args], { encoding: "utf8" }));
}

/**
 * The oracle in front of the emulator's AWS and S3 endpoints: the portal is judged under its
 * printed policy, every other principal (the vendor's administrators, customers' users, sessions
 * of roles) under the policies its account holds for it. `otherAccounts` are the vendor's other
 * accounts holding repositories, each read as its own administrator.
 */
export async function startAwsOracle(opts: {
  emulator: string;
  s3: string;
  region: string;
  accountId: string;
  admin: Credentials;
  cloudTrailBucket: string;
  otherAccounts?: { accountId: string; admin: Credentials }[];
  /** The role the other accounts give the portal, which its printed policy then may assume. */
  registryRoleName?: string;
}) {
  const portalArn = `arn:aws:iam::${opts.accountId}:user/${PORTAL_USER}`;
  const portal: Principal = {
    arn: portalArn,
    accountId: opts.accountId,
    userName: PORTAL_USER,
    identityPolicies: [{ name: "PullgatePortal", policy: printedPortalPolicy(opts.accountId, opts.region, opts.cloudTrailBucket, opts.registryRoleName) }],
  };
  // A repository policy in one account may name users of another: deleted ones show alike in all.
  const deletedUserIds = new Map<string, string>();
  const view = (accountId: string, admin: Credentials, declared: Record<string, Principal>) =>
    emulatorAccountView({ endpoint: opts.emulator, region: opts.region, accountId, admin, declared, deletedUserIds });
  const views = [view(opts.accountId, opts.admin, { [portalArn]: portal }), ...(opts.otherAccounts ?? []).map((a) => view(a.accountId, a.admin, {}))];
  // PULLGATE_AWS_ORACLE=report counts what AWS would deny without denying it.
  // A customer's own account exists on the emulator as soon as a session is opened in it: moto
  // lets any caller assume any role, in any account, even one that does not exist.
  const customerSts = new STSClient({ endpoint: opts.emulator, region: opts.region, credentials: opts.admin, maxAttempts: 1 });
  const customerSession = async (accountId: string) => {
    const out = await customerSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/customer-administrator`, RoleSessionName: "customer" }));
    return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  };
  const oracle = createOracle(views, process.env.PULLGATE_AWS_ORACLE === "report" ? "report" : "enforce", customerSession);
  const aws = await oracle.listen(opts.emulator);
  const s3 = await oracle.listen(opts.s3);
  return {
    endpoint: aws.url,
    s3Endpoint: s3.url,
    report: oracle.report,
    async stop() {
      await aws.close();
      await s3.close();
      for (const v of views) v.destroy();
      customerSts.destroy();
    },
  };
}
