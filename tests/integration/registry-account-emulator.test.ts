// The emulator and the AWS oracle span the vendor's two accounts: the portal's, holding the
// customers' users, and a registry account holding repositories, which the portal reaches through
// the role that account gives it. Every call here goes through the oracle, judged as AWS would.
import { afterAll, describe, expect, inject, it } from "vitest";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { env } from "@/lib/env";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { awsAdmin, registryAccountAdmin } from "../support/aws-admin";
import { boto3 as callBoto3, sessionCredentials, type Credentials } from "../support/boto3";
import { closePools } from "../support/close-pools";
import { pullAs } from "../support/customer-pull";
import { unique } from "../support/seed";

const ctx = inject("integration");
const home = awsAdmin(ctx);
const registry = registryAccountAdmin(ctx);
const REGISTRY = ctx.registryAccount.accountId;
const roleArn = `arn:aws:iam::${REGISTRY}:role${env().PULLGATE_IAM_PATH}${env().PULLGATE_REGISTRY_ROLE_NAME}`;

afterAll(async () => {
  home.destroy();
  registry.destroy();
  await closePools();
});

/** The portal's own key, as the integration environment gives it to the product. */
const portal: Credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! };

/** One boto3 call through the oracle, made by the test itself (not the portal's code). */
const boto3 = (service: string, method: string, args: object, credentials: Credentials) => callBoto3(ctx, credentials, service, method, args);

async function assumeRegistryRole(sessionName: string): Promise<Credentials> {
  return sessionCredentials(await boto3("sts", "assume_role", { RoleArn: roleArn, RoleSessionName: sessionName }, portal));
}

const policy = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

describe("the registry account", () => {
  it("acts in its own account for its administrator", async () => {
    expect(await boto3("sts", "get_caller_identity", {}, ctx.registryAccount.admin)).toMatchObject({
      Account: REGISTRY,
      Arn: `arn:aws:iam::${REGISTRY}:user/vendor-administrator`,
    });
  });

  it("lets the portal assume its role and, as the role, read a marked repository's policy there, and no unmarked one's", async () => {
    const marked = await registry.createRepository();
    const unmarked = await registry.createRepository({ unmarked: true });
    expect(marked.accountId).toBe(REGISTRY);
    const vendorCi = { Sid: "VendorCi", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${REGISTRY}:root` }, Action: ["ecr:PutImage"] };
    await registry.setRepositoryPolicy(marked.name, policy(vendorCi));
    await registry.setRepositoryPolicy(unmarked.name, policy(vendorCi));

    const session = await assumeRegistryRole("pullgate");
    expect(await boto3("sts", "get_caller_identity", {}, session)).toMatchObject({
      Account: REGISTRY,
      Arn: `arn:aws:sts::${REGISTRY}:assumed-role/${env().PULLGATE_REGISTRY_ROLE_NAME}/pullgate`,
    });
    const read = await boto3("ecr", "get_repository_policy", { registryId: REGISTRY, repositoryName: marked.name }, session);
    expect(read).toMatchObject({ registryId: REGISTRY, repositoryName: marked.name });
    expect(JSON.parse(String(read.policyText))).toEqual(policy(vendorCi));

    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource === `arn:aws:ecr:${ctx.region}:${REGISTRY}:repository/${unmarked.name}`);
    expect(await boto3("ecr", "get_repository_policy", { repositoryName: unmarked.name }, session)).toEqual({ Error: "AccessDeniedException" });

    // The portal's own key does not reach the registry account: its policy names its own account's
    // repositories, and the repository's policy does not name the portal.
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.principal.endsWith(":user/pullgate-portal") && d.resource.includes(`:${REGISTRY}:repository/${marked.name}`));
    expect(await boto3("ecr", "get_repository_policy", { registryId: REGISTRY, repositoryName: marked.name }, portal)).toEqual({ Error: "AccessDeniedException" });
  });

  it("refuses the role to anyone its trust policy does not name, and a role the account does not have", async () => {
    const missing = `arn:aws:iam::${REGISTRY}:role${env().PULLGATE_IAM_PATH}${unique("no-such-role")}`;
    expectAccessDenied((d) => d.action === "sts:AssumeRole" && d.resource === missing);
    expect(await boto3("sts", "assume_role", { RoleArn: missing, RoleSessionName: "pullgate" }, portal)).toEqual({ Error: "AccessDenied" });
    // The home account's administrator may assume anything by its own policy, but the role trusts the portal alone.
    expectAccessDenied((d) => d.action === "sts:AssumeRole" && d.resource === roleArn && d.principal.endsWith(":user/vendor-administrator"));
    expect(await boto3("sts", "assume_role", { RoleArn: roleArn, RoleSessionName: "admin" }, ctx.admin)).toEqual({ Error: "AccessDenied" });
  });

  it("refuses a repository policy naming a user the portal's account does not have, and takes one naming its root or an existing user", async () => {
    const repo = await registry.createRepository();
    const session = await assumeRegistryRole("pullgate");
    const naming = (principal: string) =>
      boto3(
        "ecr",
        "set_repository_policy",
        { repositoryName: repo.name, policyText: JSON.stringify(policy({ Sid: "Pull", Effect: "Allow", Principal: { AWS: principal }, Action: PULL_ACTIONS })) },
        session,
      );
    expect(await naming(`arn:aws:iam::${ctx.accountId}:root`)).toMatchObject({ repositoryName: repo.name });
    expect(await naming(`arn:aws:iam::${ctx.accountId}:user/vendor-administrator`)).toMatchObject({ repositoryName: repo.name });
    expect(await naming(`arn:aws:iam::${ctx.accountId}:user/pullgate/${unique("nobody")}`)).toEqual({ Error: "InvalidParameterException" });
  });

  it("lets a user of the portal's account pull from it only when the repository's policy allows that user too", async () => {
    const repo = await registry.createRepository();
    const userName = unique("pull-across");
    // Under the customers' path (which the repository's statement names), below where Pullgate lists its own.
    await home.createUser(userName, "/pullgate/it/");
    await home.putUserPolicy(userName, "pull", policy({ Effect: "Allow", Action: PULL_ACTIONS, Resource: `arn:aws:ecr:*:${REGISTRY}:repository/${repo.name}` }));
    const key = await home.createAccessKey(userName);
    expect(await pullAs(ctx.awsEndpoint, key, repo)).toMatch(/denied because no resource-based policy allows it$/);

    const vendorUsers = {
      Sid: "PullgateVendorUsers",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` },
      Action: PULL_ACTIONS,
      Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ctx.accountId}:user/pullgate/*` } },
    };
    await registry.setRepositoryPolicy(repo.name, policy(vendorUsers));
    expect(await pullAs(ctx.awsEndpoint, key, repo)).toBe("ok");

    // Outside the users the statement names, the identity policy alone does not reach across.
    const outsider = unique("pull-outside");
    await home.createUser(outsider, "/");
    await home.putUserPolicy(outsider, "pull", policy({ Effect: "Allow", Action: PULL_ACTIONS, Resource: "*" }));
    expect(await pullAs(ctx.awsEndpoint, await home.createAccessKey(outsider), repo)).toMatch(/denied/);
  });
});
