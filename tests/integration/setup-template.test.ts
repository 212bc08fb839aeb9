// The vendor's CloudFormation template, deployed as the vendor would: the stack creates the
// policies and the role the portal's code expects, with the documents it builds. boto3 makes the
// administrator's calls that vendorAdmin does not offer.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { boundaryPolicyDocument, loginPolicyDocument } from "@/lib/aws/login-policy";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { EMULATOR_ONLY_ROLE_POLICY } from "../support/aws-oracle/account-view";
import { askOracle, readOracleReport } from "../support/aws-oracle/oracle-proxy";
import { probe } from "../support/aws-probe";
import { boto3 as boto3Call, sessionCredentials, type Credentials } from "../support/boto3";
import { closePools } from "../support/close-pools";
import type { GrantWorkerResult } from "../support/grant-worker";
import type { RevokeWorkerResult } from "../support/revoke-worker";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";

const ctx = inject("integration");
const TEMPLATE = readFileSync(path.resolve(import.meta.dirname, "../../deploy/pullgate-aws.template.json"), "utf8");

/** One boto3 call through the tests' AWS endpoint, as the vendor's administrator unless told; its answer, or `{ Error: code }`. */
const boto3 = (service: string, method: string, args: object, credentials: Credentials = ctx.admin) => boto3Call(ctx, credentials, service, method, args);

const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
const repositories = awsAdmin(ctx);
const id = unique("cfn");
type Stack = { name: string; iamPath: string; loginPolicyName: string; boundaryPolicyName: string; roleName: string };
const stackNamed = (id: string) => ({ name: id, iamPath: `/${id}/`, loginPolicyName: `${id}-login`, boundaryPolicyName: `${id}-boundary`, roleName: `${id}-portal` });
const stack = { ...stackNamed(id), bucket: `${id}-trail` };
const trailKey = `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${id}`;
const adminArn = `arn:aws:iam::${ctx.accountId}:user/vendor-administrator`;
const policyArn = (name: string, iamPath = stack.iamPath) => `arn:aws:iam::${ctx.accountId}:policy${iamPath}${name}`;
let outputs: Record<string, string> = {};
const portalOptions = {
  accountId: ctx.accountId,
  iamPath: stack.iamPath,
  loginPolicyName: stack.loginPolicyName,
  boundaryPolicyName: stack.boundaryPolicyName,
  cloudTrailBucket: stack.bucket,
  cloudTrailKmsKeyArn: trailKey,
  // The template's default.
  registryRoleName: "pullgate-registry",
  brokerRoleName: `${stack.roleName}-broker`,
};

/** A session as the stack's portal role, for the principal its trust policy names. */
async function assumePortalRole(sessionName: string): Promise<Credentials> {
  return sessionCredentials(await boto3("sts", "assume_role", { RoleArn: outputs.PortalRoleArn, RoleSessionName: sessionName }));
}

/** The stack, created as the vendor's administrator; its outputs. */
async function createStack(created: Stack, parameters: Record<string, string>): Promise<Record<string, string>> {
  const { name, iamPath, loginPolicyName, boundaryPolicyName, roleName } = created;
  // The broker role of its own: the account's default one is the integration environment's.
  const all = { IamPath: iamPath, LoginPolicyName: loginPolicyName, BoundaryPolicyName: boundaryPolicyName, PortalRoleName: roleName, BrokerRoleName: `${roleName}-broker`, ...parameters };
  expect(
    await boto3("cloudformation", "create_stack", {
      StackName: name,
      TemplateBody: TEMPLATE,
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      Parameters: Object.entries(all).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  ).not.toHaveProperty("Error");
  const described = await boto3("cloudformation", "describe_stacks", { StackName: name }) as { Stacks: { StackStatus: string; Outputs: { OutputKey: string; OutputValue: string }[] }[] };
  expect(described.Stacks[0]!.StackStatus).toBe("CREATE_COMPLETE");
  return Object.fromEntries(described.Stacks[0]!.Outputs.map((o) => [o.OutputKey, o.OutputValue]));
}

async function deleteStack({ name, iamPath, loginPolicyName, boundaryPolicyName, roleName }: Stack) {
  // The emulator deletes the role before the policy attached to it, which IAM refuses; AWS
  // deletes in dependency order. Detached first, the stack goes.
  expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(await boto3("iam", "delete_role_policy", { RoleName: roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY }));
  expect(await boto3("iam", "detach_role_policy", { RoleName: roleName, PolicyArn: policyArn(roleName, iamPath) })).toEqual({});
  expect(await boto3("cloudformation", "delete_stack", { StackName: name })).toEqual({});
  expect(await boto3("iam", "get_role", { RoleName: roleName })).toEqual({ Error: "NoSuchEntity" });
  // The emulator (moto 5.2) leaves a deleted stack's managed policies behind, where AWS deletes them.
  for (const policy of [roleName, loginPolicyName, boundaryPolicyName]) {
    expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(await boto3("iam", "delete_policy", { PolicyArn: policyArn(policy, iamPath) }));
  }
}

beforeAll(async () => {
  outputs = await createStack(stack, { PortalTrustedAwsPrincipal: adminArn, CloudTrailBucket: stack.bucket, CloudTrailKmsKeyArn: trailKey });
});

afterAll(async () => {
  await deleteStack(stack);
  admin.destroy();
  repositories.destroy();
  await closePools();
});

describe("the AWS setup template, deployed", () => {
  it("names what it created", async () => {
    expect(outputs).toEqual({
      PortalRoleArn: `arn:aws:iam::${ctx.accountId}:role${stack.iamPath}${stack.roleName}`,
      LoginPolicyArn: policyArn(stack.loginPolicyName),
      BoundaryPolicyArn: policyArn(stack.boundaryPolicyName),
      BrokerRoleArn: `arn:aws:iam::${ctx.accountId}:role${stack.iamPath}${stack.roleName}-broker`,
    });
  });

  it("lets the portal's service, and the principal given, assume the portal role", async () => {
    expect(await boto3("iam", "get_role", { RoleName: stack.roleName })).toMatchObject({
      Role: {
        Path: stack.iamPath,
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com", AWS: adminArn }, Action: "sts:AssumeRole" }],
        },
      },
    });
  });

  it("attaches the portal's own policy to the role, for the stack's values", async () => {
    expect(await boto3("iam", "list_attached_role_policies", { RoleName: stack.roleName })).toMatchObject({
      AttachedPolicies: [{ PolicyName: stack.roleName, PolicyArn: policyArn(stack.roleName) }],
    });
    expect(await admin.policyDocument(policyArn(stack.roleName))).toEqual(portalPolicyDocument(portalOptions));
  });

  it("creates the customer policies where the portal's policy lets it use them", async () => {
    expect(await admin.policyDocument(outputs.LoginPolicyArn!)).toEqual(loginPolicyDocument());
    expect(await admin.policyDocument(outputs.BoundaryPolicyArn!)).toEqual(boundaryPolicyDocument({ partition: "aws" }));
  });

  it("gives the trusted principal a session as the portal role", async () => {
    expect(await boto3("sts", "get_caller_identity", {}, await assumePortalRole("portal"))).toMatchObject({
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${stack.roleName}/portal`,
    });
  });

  it("provisions a customer as the role the stack created, judged under the oracle", async () => {
    const session = await assumePortalRole("provisioning");
    // The oracle knows the session, and weighs the role's policy for it: outside the stack's path
    // the portal may create no user.
    const outside = { service: "iam", action: "iam:CreateUser", region: ctx.region, params: { UserName: unique("outside"), Path: "/" } };
    expect(await askOracle(ctx.awsEndpoint, { ...outside, accessKeyId: session.accessKeyId })).toMatchObject({
      allowed: false,
      reason: "because no identity-based policy allows it",
    });

    // What the emulator's own access control needs to let the session through; the oracle judges it under the real policy.
    const actions = portalPolicyDocument(portalOptions).Statement.flatMap((s) => s.Action);
    const emulatorOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...new Set(actions)], Resource: "*" }] };
    expect(await boto3("iam", "put_role_policy", { RoleName: stack.roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY, PolicyDocument: JSON.stringify(emulatorOnly) })).toEqual({});
    const { product, repo } = await repositories.productOnNewRepository();
    // The session's credentials replace the portal user's the integration env sets.
    const env = {
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken!,
      PULLGATE_IAM_PATH: stack.iamPath,
      PULLGATE_LOGIN_POLICY_NAME: stack.loginPolicyName,
      PULLGATE_BOUNDARY_POLICY_NAME: stack.boundaryPolicyName,
    };
    const before = await readOracleReport(ctx.awsEndpoint);
    const granted = await runWorker<GrantWorkerResult>("grant-worker.ts", [{ email: `${unique("cfn-customer")}@example.com`, productSlug: product.slug }], { env });
    expect(granted.result?.ok, JSON.stringify(granted.result) + granted.stderr).toBe(true);
    const after = await readOracleReport(ctx.awsEndpoint);
    expect(after.judged).toBeGreaterThan(before.judged);
    expect(after.unjudged.slice(before.unjudged.length)).toEqual([]);
    expect(after.denied.slice(before.denied.length)).toEqual([]);

    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: granted.result!.grants[0]!.customerId } });
    expect(identity.arn).toBe(`arn:aws:iam::${ctx.accountId}:user${stack.iamPath}${identity.userName}`);
    expect(await admin.userNames(stack.iamPath)).toContain(identity.userName);
    // The emulator keeps no boundary; the role's policy let CreateUser through (judged, undenied)
    // only with the stack's boundary.
    expect(await boto3("iam", "get_user", { UserName: identity.userName })).toMatchObject({ User: { Path: stack.iamPath } });
    expect(await probe.principals(repo)).toContain(identity.arn);

    const revoked = await runWorker<RevokeWorkerResult>("revoke-worker.ts", [granted.result!.grants[0]!.entitlementId], { env });
    expect(revoked.result?.ok, revoked.stderr).toBe(true);
    expect(await admin.userNames(stack.iamPath)).not.toContain(identity.userName);
    expect(await probe.principals(repo)).not.toContain(identity.arn);
  });
});

describe("the AWS setup template, deployed for a portal on EKS", () => {
  const eks = stackNamed(unique("cfn-eks"));
  const provider = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  const providerArn = `arn:aws:iam::${ctx.accountId}:oidc-provider/${provider}`;

  // AWS takes a trust policy naming an OIDC provider only once the provider exists; the emulator
  // does not check, and the oracle cannot judge creating one, so the stack names it alone.
  beforeAll(async () => {
    await createStack(eks, { EksOidcProvider: provider, EksServiceAccount: "pullgate:pullgate-portal" });
  });

  afterAll(async () => {
    await deleteStack(eks);
  });

  it("lets the portal's service account assume the portal role with the cluster's tokens, besides the portal's service", async () => {
    expect(await boto3("iam", "get_role", { RoleName: eks.roleName })).toMatchObject({
      Role: {
        Path: eks.iamPath,
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            {
              Sid: "PortalServiceAccountOnEks",
              Effect: "Allow",
              Principal: { Federated: providerArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { [`${provider}:sub`]: "system:serviceaccount:pullgate:pullgate-portal", [`${provider}:aud`]: "sts.amazonaws.com" } },
            },
          ],
        },
      },
    });
  });
});
