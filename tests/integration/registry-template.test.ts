// The registry account's CloudFormation template, deployed by that account's administrator as the
// vendor would: the stack creates the role the portal assumes there, with registry-role.ts's
// documents, and a principal whose policy is the portal's reaches that account's repositories as it.
//
// The principal: the global setup already gave the registry account the role `pullgate-registry`,
// the one name the integration portal's policy may assume, so the stack's role takes another and
// the portal's own key cannot assume it. A second portal user in the home account, holding
// portalPolicyDocument for the stack's role name, plays the portal the stack trusts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { registryAccountAdmin } from "../support/aws-admin";
import { EMULATOR_ONLY_ROLE_POLICY } from "../support/aws-oracle/account-view";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { boto3, sessionCredentials, type Credentials } from "../support/boto3";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

const ctx = inject("integration");
const TEMPLATE = readFileSync(path.resolve(import.meta.dirname, "../../deploy/pullgate-registry.template.json"), "utf8");
const REGISTRY = ctx.registryAccount.accountId;
const IAM_PATH = "/pullgate/";
const stack = { name: unique("cfn-registry"), roleName: "pullgate-registry-stack" };
const roleArn = `arn:aws:iam::${REGISTRY}:role${IAM_PATH}${stack.roleName}`;
const policyArn = `arn:aws:iam::${REGISTRY}:policy${IAM_PATH}${stack.roleName}`;
const portalUser = unique("stack-portal");
const portalArn = `arn:aws:iam::${ctx.accountId}:user${IAM_PATH}${portalUser}`;
const portalPolicyArn = `arn:aws:iam::${ctx.accountId}:policy${IAM_PATH}${portalUser}`;

/** Calls as the registry account's administrator unless told. */
const registryCall = (service: string, method: string, args: object, credentials: Credentials = ctx.registryAccount.admin) =>
  boto3(ctx, credentials, service, method, args);
const homeAdminCall = (service: string, method: string, args: object) => boto3(ctx, ctx.admin, service, method, args);

const registry = registryAccountAdmin(ctx);
const registryAdmin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: REGISTRY, credentials: ctx.registryAccount.admin });
let outputs: Record<string, string> = {};
let portal: Credentials;

beforeAll(async () => {
  // The second portal: its policy names the stack's role, as the portal's would under PULLGATE_REGISTRY_ROLE_NAME=pullgate-registry-stack.
  const portalPolicy = portalPolicyDocument({
    accountId: ctx.accountId,
    iamPath: IAM_PATH,
    loginPolicyName: "AmazonEC2ContainerRegistryLogin",
    boundaryPolicyName: "PullgateCustomerBoundary",
    registryRoleName: stack.roleName,
  });
  expect(await homeAdminCall("iam", "create_user", { UserName: portalUser, Path: IAM_PATH })).toHaveProperty("User");
  // Managed, as the portal's is: it outgrows a user's 2,048 characters of inline policy.
  expect(await homeAdminCall("iam", "create_policy", { PolicyName: portalUser, Path: IAM_PATH, PolicyDocument: JSON.stringify(portalPolicy) })).toHaveProperty("Policy");
  expect(await homeAdminCall("iam", "attach_user_policy", { UserName: portalUser, PolicyArn: portalPolicyArn })).toEqual({});
  const key = await homeAdminCall("iam", "create_access_key", { UserName: portalUser }) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
  portal = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };

  const parameters = { PortalPrincipalArn: portalArn, IamPath: IAM_PATH, RegistryRoleName: stack.roleName };
  expect(
    await registryCall("cloudformation", "create_stack", {
      StackName: stack.name,
      TemplateBody: TEMPLATE,
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  ).not.toHaveProperty("Error");
  const created = await registryCall("cloudformation", "describe_stacks", { StackName: stack.name }) as {
    Stacks: { StackStatus: string; Outputs: { OutputKey: string; OutputValue: string }[] }[];
  };
  expect(created.Stacks[0]!.StackStatus).toBe("CREATE_COMPLETE");
  outputs = Object.fromEntries(created.Stacks[0]!.Outputs.map((o) => [o.OutputKey, o.OutputValue]));
});

afterAll(async () => {
  // As in the portal account's stack: the emulator deletes the role before the policy attached
  // to it, which IAM refuses, and leaves the stack's managed policy behind.
  expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(await registryCall("iam", "delete_role_policy", { RoleName: stack.roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY }));
  expect(await registryCall("iam", "detach_role_policy", { RoleName: stack.roleName, PolicyArn: policyArn })).toEqual({});
  expect(await registryCall("cloudformation", "delete_stack", { StackName: stack.name })).toEqual({});
  expect(await registryCall("iam", "get_role", { RoleName: stack.roleName })).toEqual({ Error: "NoSuchEntity" });
  expect([{}, { Error: "NoSuchEntity" }]).toContainEqual(await registryCall("iam", "delete_policy", { PolicyArn: policyArn }));
  if (portal) expect(await homeAdminCall("iam", "delete_access_key", { UserName: portalUser, AccessKeyId: portal.accessKeyId })).toEqual({});
  expect(await homeAdminCall("iam", "detach_user_policy", { UserName: portalUser, PolicyArn: portalPolicyArn })).toEqual({});
  expect(await homeAdminCall("iam", "delete_policy", { PolicyArn: portalPolicyArn })).toEqual({});
  expect(await homeAdminCall("iam", "delete_user", { UserName: portalUser })).toEqual({});
  registry.destroy();
  registryAdmin.destroy();
  await closePools();
});

describe("the registry account's setup template, deployed", () => {
  it("names the role it created", () => {
    expect(outputs).toEqual({ RegistryRoleArn: roleArn });
  });

  it("creates the role under the path, trusting the portal's principal alone", async () => {
    const role = await registryCall("iam", "get_role", { RoleName: stack.roleName }) as { Role: Record<string, unknown> };
    expect(role.Role).toMatchObject({ Arn: roleArn, Path: IAM_PATH, RoleName: stack.roleName });
    expect(role.Role.AssumeRolePolicyDocument).toEqual(registryRoleTrustPolicy(portalArn));
  });

  it("attaches the repository statements for its own account to the role, and nothing else", async () => {
    expect(await registryCall("iam", "list_attached_role_policies", { RoleName: stack.roleName })).toMatchObject({
      AttachedPolicies: [{ PolicyName: stack.roleName, PolicyArn: policyArn }],
    });
    expect(await registryCall("iam", "list_role_policies", { RoleName: stack.roleName })).toMatchObject({ PolicyNames: [] });
    expect(await registryAdmin.policyDocument(policyArn)).toEqual(registryRolePolicyDocument({ accountId: REGISTRY, partition: "aws" }));
  });

  it("lets the portal it trusts assume the role and, as it, read a marked repository there, and no unmarked one's policy", async () => {
    // What the emulator's own access control needs to let the session through; the oracle judges it under the stack's policy.
    const actions = registryRolePolicyDocument({ accountId: REGISTRY, partition: "aws" }).Statement.flatMap((s) => s.Action);
    const emulatorOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...new Set(actions)], Resource: "*" }] };
    expect(await registryCall("iam", "put_role_policy", { RoleName: stack.roleName, PolicyName: EMULATOR_ONLY_ROLE_POLICY, PolicyDocument: JSON.stringify(emulatorOnly) })).toEqual({});
    const marked = await registry.createRepository();
    const unmarked = await registry.createRepository({ unmarked: true });
    const vendorCi = { Version: "2012-10-17", Statement: [{ Sid: "VendorCi", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${REGISTRY}:root` }, Action: ["ecr:PutImage"] }] };
    await registry.setRepositoryPolicy(marked.name, vendorCi);
    await registry.setRepositoryPolicy(unmarked.name, vendorCi);

    const session = sessionCredentials(await registryCall("sts", "assume_role", { RoleArn: outputs.RegistryRoleArn, RoleSessionName: "pullgate-portal" }, portal));
    expect(await registryCall("sts", "get_caller_identity", {}, session)).toMatchObject({
      Account: REGISTRY,
      Arn: `arn:aws:sts::${REGISTRY}:assumed-role/${stack.roleName}/pullgate-portal`,
    });
    const read = await registryCall("ecr", "get_repository_policy", { registryId: REGISTRY, repositoryName: marked.name }, session);
    expect(read).toMatchObject({ registryId: REGISTRY, repositoryName: marked.name });
    expect(JSON.parse(String(read.policyText))).toEqual(vendorCi);
    const tags = await registryCall("ecr", "list_tags_for_resource", { resourceArn: `arn:aws:ecr:${ctx.region}:${REGISTRY}:repository/${marked.name}` }, session);
    expect(tags).toMatchObject({ tags: [{ Key: "pullgate:managed", Value: "true" }] });

    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource === `arn:aws:ecr:${ctx.region}:${REGISTRY}:repository/${unmarked.name}`);
    expect(await registryCall("ecr", "get_repository_policy", { registryId: REGISTRY, repositoryName: unmarked.name }, session)).toEqual({ Error: "AccessDeniedException" });
  });

  it("refuses the role to a principal its trust policy does not name, and the integration portal, whose policy names another role", async () => {
    // The home account's administrator may assume anything by its own policy; the trust names the portal alone.
    expectAccessDenied((d) => d.action === "sts:AssumeRole" && d.resource === roleArn && d.principal.endsWith(":user/vendor-administrator"));
    expect(await homeAdminCall("sts", "assume_role", { RoleArn: roleArn, RoleSessionName: "admin" })).toEqual({ Error: "AccessDenied" });
    const integrationPortal = { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! };
    expectAccessDenied((d) => d.action === "sts:AssumeRole" && d.resource === roleArn && d.principal.endsWith(":user/pullgate-portal"));
    expect(await registryCall("sts", "assume_role", { RoleArn: roleArn, RoleSessionName: "pullgate" }, integrationPortal)).toEqual({ Error: "AccessDenied" });
  });
});
