// The vendor's CloudFormation template, deployed as the vendor would: the stack creates the
// policies and the role the portal's code expects, with the documents it builds. The SDK has no
// CloudFormation client here and only lib/aws may import the SDK, so boto3 (moto's own
// dependency) makes the administrator's calls that vendorAdmin does not offer.
import { execFileSync } from "node:child_process";
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
import { closePools } from "../support/close-pools";
import type { GrantWorkerResult } from "../support/grant-worker";
import type { RevokeWorkerResult } from "../support/revoke-worker";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";

const ctx = inject("integration");
const TEMPLATE = readFileSync(path.resolve(import.meta.dirname, "../../deploy/pullgate-aws.template.json"), "utf8");

const BOTO3 = `
import json, sys, boto3
from botocore.exceptions import ClientError
a = json.load(sys.stdin)
c = a["credentials"]
client = boto3.client(a["service"], endpoint_url=a["endpoint"], region_name=a["region"], aws_access_key_id=c["accessKeyId"],
                      aws_secret_access_key=c["secretAccessKey"], aws_session_token=c.get("sessionToken"))
try:
    answer = getattr(client, a["method"])(**a["args"])
    if a["method"] in ("create_stack", "delete_stack"):
        waiter = "stack_create_complete" if a["method"] == "create_stack" else "stack_delete_complete"
        client.get_waiter(waiter).wait(StackName=a["args"]["StackName"], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    answer.pop("ResponseMetadata", None)
except ClientError as error:
    answer = {"Error": error.response["Error"]["Code"]}
print(json.dumps(answer, default=str))
`;

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** One boto3 call through the tests' AWS endpoint, as the vendor's administrator unless told; its answer, or `{ Error: code }`. */
function boto3(service: string, method: string, args: object, credentials: Credentials = ctx.admin): Record<string, unknown> {
  const input = JSON.stringify({ service, method, args, credentials, endpoint: ctx.awsEndpoint, region: ctx.region });
  return JSON.parse(execFileSync("python3", ["-c", BOTO3], { input, encoding: "utf8" })) as Record<string, unknown>;
}

const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
const repositories = awsAdmin(ctx);
const id = unique("cfn");
const stack = { name: id, iamPath: `/${id}/`, loginPolicyName: `${id}-login`, boundaryPolicyName: `${id}-boundary`, roleName: `${id}-portal`, bucket: `${id}-trail` };
const trailKey = `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${id}`;
const adminArn = `arn:aws:iam::${ctx.accountId}:user/vendor-administrator`;
const policyArn = (name: string) => `arn:aws:iam::${ctx.accountId}:policy${stack.iamPath}${name}`;
let outputs: Record<string, string> = {};
const portalOptions = {
  accountId: ctx.accountId,
  iamPath: stack.iamPath,
  loginPolicyName: stack.loginPolicyName,
  boundaryPolicyName: stack.boundaryPolicyName,
  cloudTrailBucket: stack.bucket,
  cloudTrailKmsKeyArn: trailKey,
};

/** A session as the stack's portal role, for the principal its trust policy names. */
function assumePortalRole(sessionName: string): Credentials {
  const assumed = boto3("sts", "assume_role", { RoleArn: outputs.PortalRoleArn, RoleSessionName: sessionName }) as {
    Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  };
  const { AccessKeyId, SecretAccessKey, SessionToken } = assumed.Credentials;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
}

beforeAll(async () => {
  const parameters = {
    IamPath: stack.iamPath,
    LoginPolicyName: stack.loginPolicyName,
    BoundaryPolicyName: stack.boundaryPolicyName,
    PortalRoleName: stack.roleName,
    PortalTrustedAwsPrincipal: adminArn,
    CloudTrailBucket: stack.bucket,
    CloudTrailKmsKeyArn: trailKey,
  };
  expect(
    boto3("cloudformation", "create_stack", {
      StackName: stack.name,
      TemplateBody: TEMPLATE,
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  ).not.toHaveProperty("Error");
  const created = boto3("cloudformation", "describe_stacks", { StackName: stack.name }) as { Stacks: { StackStatus: string; Outputs: { OutputKey: string; OutputValue: string }[] }[] };
  expect(created.Stacks[0]!.StackStatus).toBe("CREATE_COMPLETE");
  outputs = Object.fromEntries(created.Stacks[0]!.Outputs.map((o) => [o.OutputKey, o.OutputValue]));
});

afterAll(async () => {
  // The emulator deletes the role before the policy attached to it, which IAM refuses; AWS
  // deletes in dependency order. Detached first, the stack goes.
  expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(boto3("iam", "delete_role_policy", { RoleName: stack.roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY }));
  expect(boto3("iam", "detach_role_policy", { RoleName: stack.roleName, PolicyArn: policyArn(stack.roleName) })).toEqual({});
  expect(boto3("cloudformation", "delete_stack", { StackName: stack.name })).toEqual({});
  expect(boto3("iam", "get_role", { RoleName: stack.roleName })).toEqual({ Error: "NoSuchEntity" });
  // The emulator (moto 5.2) leaves a deleted stack's managed policies behind, where AWS deletes them.
  for (const name of [stack.roleName, stack.loginPolicyName, stack.boundaryPolicyName]) {
    expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(boto3("iam", "delete_policy", { PolicyArn: policyArn(name) }));
  }
  admin.destroy();
  repositories.destroy();
  await closePools();
});

describe("the AWS setup template, deployed", () => {
  it("names what it created", () => {
    expect(outputs).toEqual({
      PortalRoleArn: `arn:aws:iam::${ctx.accountId}:role${stack.iamPath}${stack.roleName}`,
      LoginPolicyArn: policyArn(stack.loginPolicyName),
      BoundaryPolicyArn: policyArn(stack.boundaryPolicyName),
    });
  });

  it("lets the portal's service, and the principal given, assume the portal role", () => {
    expect(boto3("iam", "get_role", { RoleName: stack.roleName })).toMatchObject({
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
    expect(boto3("iam", "list_attached_role_policies", { RoleName: stack.roleName })).toMatchObject({
      AttachedPolicies: [{ PolicyName: stack.roleName, PolicyArn: policyArn(stack.roleName) }],
    });
    expect(await admin.policyDocument(policyArn(stack.roleName))).toEqual(portalPolicyDocument(portalOptions));
  });

  it("creates the customer policies where the portal's policy lets it use them", async () => {
    expect(await admin.policyDocument(outputs.LoginPolicyArn!)).toEqual(loginPolicyDocument());
    expect(await admin.policyDocument(outputs.BoundaryPolicyArn!)).toEqual(boundaryPolicyDocument({ accountId: ctx.accountId, partition: "aws" }));
  });

  it("gives the trusted principal a session as the portal role", () => {
    expect(boto3("sts", "get_caller_identity", {}, assumePortalRole("portal"))).toMatchObject({
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${stack.roleName}/portal`,
    });
  });

  it("provisions a customer as the role the stack created, judged under the oracle", async () => {
    const session = assumePortalRole("provisioning");
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
    expect(boto3("iam", "put_role_policy", { RoleName: stack.roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY, PolicyDocument: JSON.stringify(emulatorOnly) })).toEqual({});
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
    expect(boto3("iam", "get_user", { UserName: identity.userName })).toMatchObject({ User: { Path: stack.iamPath } });
    expect(await probe.principals(repo)).toContain(identity.arn);

    const revoked = await runWorker<RevokeWorkerResult>("revoke-worker.ts", [granted.result!.grants[0]!.entitlementId], { env });
    expect(revoked.result?.ok, revoked.stderr).toBe(true);
    expect(await admin.userNames(stack.iamPath)).not.toContain(identity.userName);
    expect(await probe.principals(repo)).not.toContain(identity.arn);
  });
});
