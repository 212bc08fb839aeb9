// The go-live check against the tests' AWS: everything passes with the accounts set up as
// Pullgate asks, and each fault injected one at a time is named as a FAIL with its fix. IAM's
// simulator is the oracle's (the emulator has none), judging with the same simulator that
// authorizes the portal's real calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { administratorClients } from "@/lib/aws/administrator-clients";
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { PreflightResult } from "@/lib/health/preflight/preflight-result";
import { checkRegistryRole, deployRegistryRole } from "@/lib/health/preflight/registry-role";
import { runPreflight, runRegistryPreflight } from "@/lib/health/preflight/run-preflight";
import { registryAccountAdmin } from "../support/aws-admin";
import { setOracleLimits } from "../support/aws-oracle/oracle-proxy";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { awsAdminFixture } from "../support/product-fixture";
import { createProduct, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const portalArn = `arn:aws:iam::${ctx.accountId}:user/pullgate-portal`;
// Simulating another principal's policies is an administrator's right; every other read is one
// the portal's own identity (this process's default credentials) may make.
const preflight = (arn = portalArn) => runPreflight({ portalArn: arn, credentials: ctx.admin });
const failures = (results: PreflightResult[]) => results.filter((r) => !r.ok);
const repositoryArn = (name: string, accountId = ctx.accountId) => `arn:aws:ecr:${ctx.region}:${accountId}:repository/${name}`;

const policyOptions = () => ({
  accountId: ctx.accountId,
  iamPath: env().PULLGATE_IAM_PATH,
  loginPolicyName: env().PULLGATE_LOGIN_POLICY_NAME,
  boundaryPolicyName: env().PULLGATE_BOUNDARY_POLICY_NAME,
  cloudTrailBucket: env().PULLGATE_CLOUDTRAIL_BUCKET,
  registryRoleName: env().PULLGATE_REGISTRY_ROLE_NAME,
});

/** A user of the vendor's outside Pullgate's path, with the given policy inline, standing in for a misconfigured portal. */
async function portalLookalike(prefix: string, policy: object) {
  const userName = unique(prefix);
  const { arn } = await admin.createUser(userName, "/preflight-test/");
  // The real policy is past IAM's 2,048 inline characters (a vendor attaches it as a managed
  // policy); the emulator holds it inline, so the oracle lets it through for this one write.
  await setOracleLimits(ctx.awsEndpoint, { inlinePolicyCharactersPerUser: 10_240 });
  try {
    await admin.putUserPolicy(userName, "portal", policy);
  } finally {
    await setOracleLimits(ctx.awsEndpoint);
  }
  return arn;
}

const productIds: string[] = [];
let markedRepository = "";

beforeAll(async () => {
  const repo = await admin.createRepository();
  markedRepository = repo.name;
  productIds.push((await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [repo.name] })).id);
});

afterAll(async () => {
  // Nothing references these products but their repositories: leaving them would hand other
  // files' drift audits a repository that is unmarked on purpose.
  await db.repository.deleteMany({ where: { productId: { in: productIds } } });
  await db.product.deleteMany({ where: { id: { in: productIds } } });
});

describe("aws:preflight", () => {
  it("passes every check with the account set up as Pullgate asks", async () => {
    const results = await preflight();
    const groups = new Set(results.map((r) => r.group));
    expect([...groups]).toEqual(["portal permissions", "customer policies", "repository marks", "quotas", "cloudtrail"]);
    expect(results.filter((r) => r.group === "portal permissions" && r.check.startsWith("denies")).length).toBeGreaterThanOrEqual(5);
    // PULLGATE_REGISTRY_ACCOUNTS names the second account: the portal must reach its role.
    const registryRole = `arn:aws:iam::${ctx.registryAccount.accountId}:role${env().PULLGATE_IAM_PATH}${env().PULLGATE_REGISTRY_ROLE_NAME}`;
    expect(results.find((r) => r.check === `allows ReachRepositoriesInOtherAccounts on ${registryRole}`)).toMatchObject({ ok: true });
    // That account's repositories are its own run's.
    expect(results.filter((r) => r.group === "repository marks" && r.check.includes(`:${ctx.registryAccount.accountId}:`))).toEqual([]);
    expect(results.find((r) => r.check === repositoryArn(markedRepository))).toMatchObject({ ok: true });
    // Other files' repositories may be unmarked or gone on purpose; every other check must pass.
    const ownRepositoryLines = (r: PreflightResult) => r.group !== "repository marks" || r.check === repositoryArn(markedRepository);
    expect(failures(results.filter(ownRepositoryLines))).toEqual([]);
  });

  it("needs an administrator: the portal's own credentials may not simulate, and each check says so", async () => {
    expectAccessDenied((d) => d.action === "iam:SimulatePrincipalPolicy" && d.principal === portalArn);
    const results = await runPreflight({ portalArn });
    const permissions = results.filter((r) => r.group === "portal permissions");
    expect(permissions.every((r) => !r.ok && /AccessDenied/.test(r.note ?? "") && /administrator's credentials/.test(r.fix ?? ""))).toBe(true);
  });

  it("names the missing permission of a portal whose policy lacks a statement", async () => {
    const policy = portalPolicyDocument(policyOptions());
    const arn = await portalLookalike("preflight-missing", { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "ManageRepositoryPolicies") });
    const failed = failures(await preflight(arn)).filter((r) => r.group === "portal permissions");
    expect(failed).toEqual([
      expect.objectContaining({
        check: expect.stringMatching(/^allows ManageRepositoryPolicies on arn:aws:ecr:/),
        note: "not allowed: ecr:GetRepositoryPolicy, ecr:SetRepositoryPolicy, ecr:DeleteRepositoryPolicy, ecr:DescribeImages",
        fix: expect.stringContaining(`npm run --silent aws:portal-policy -- ${ctx.accountId}`),
      }),
    ]);
  });

  it("names what a portal with too broad a policy could do that it must not", async () => {
    const policy = portalPolicyDocument(policyOptions());
    const arn = await portalLookalike("preflight-broad", { ...policy, Statement: [...policy.Statement, { Effect: "Allow", Action: "ecr:*", Resource: "*" }] });
    const failed = failures(await preflight(arn)).filter((r) => r.group === "portal permissions");
    expect(failed.map((r) => r.check).sort()).toEqual(
      [
        "denies no marking of a repository",
        "denies no other tag than the product's on a marked repository",
        "denies no pulls by the portal",
        "denies no pushes by the portal",
        "denies no repository policy change on an unmarked repository",
      ].sort(),
    );
    expect(failed.find((r) => r.check === "denies no pulls by the portal")?.note).toBe("allowed: ecr:BatchGetImage, ecr:GetDownloadUrlForLayer");
  });

  it("names a repository sold without the mark, with the command that marks it", async () => {
    const repo = await admin.createRepository({ unmarked: true });
    productIds.push((await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [repo.name] })).id);
    const line = (await preflight()).find((r) => r.check === repositoryArn(repo.name));
    expect(line).toEqual({
      group: "repository marks",
      check: repositoryArn(repo.name),
      ok: false,
      note: `not tagged ${MANAGED_TAG.key}=${MANAGED_TAG.value}`,
      fix: `aws ecr tag-resource --resource-arn ${repositoryArn(repo.name)} --tags Key=pullgate:managed,Value=true`,
    });
  });

  it("warns from 80 % of the IAM user quota, and fails at it", async () => {
    const usage = (await preflight()).find((r) => r.group === "quotas")!;
    const users = Number(/^(\d+) of /.exec(usage.note ?? "")![1]);
    // The vendor's administrator, the portal and this file's two stand-ins at least.
    expect(users).toBeGreaterThanOrEqual(4);
    await setOracleLimits(ctx.awsEndpoint, { usersPerAccount: users + 1 });
    try {
      const quota = (await preflight()).filter((r) => r.group === "quotas");
      expect(quota).toEqual([expect.objectContaining({ ok: true, note: `${users} of ${users + 1}: warning, past 80 %` })]);
    } finally {
      await setOracleLimits(ctx.awsEndpoint);
    }

    await setOracleLimits(ctx.awsEndpoint, { usersPerAccount: 1 });
    try {
      const quota = (await preflight()).filter((r) => r.group === "quotas");
      expect(quota).toEqual([expect.objectContaining({ ok: false, note: expect.stringMatching(/^\d+ of 1: no customer can get a user$/) })]);
    } finally {
      await setOracleLimits(ctx.awsEndpoint);
    }
  });
});

describe("aws:preflight --registry-account", () => {
  const REGISTRY = ctx.registryAccount.accountId;
  const registry = registryAccountAdmin(ctx);
  // The role's own IAM, as the registry account's administrator creates roles in it.
  const registryIam = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: REGISTRY, credentials: ctx.registryAccount.admin });
  const clients = administratorClients(ctx.registryAccount.admin);
  // The whole run as the registry account's administrator, none of it as the portal.
  const registryPreflight = (arn = portalArn) => runRegistryPreflight({ portalArn: arn, credentials: ctx.registryAccount.admin });
  const LOOKALIKE_PATH = "/preflight-test/";
  const lookalikeArn = (name: string) => `arn:aws:iam::${REGISTRY}:role${LOOKALIKE_PATH}${name}`;
  let marked = "";

  /** A role of the registry account outside Pullgate's path, standing in for a misconfigured registry role. */
  async function roleLookalike(prefix: string, trustPolicy: object, policy: object) {
    const name = unique(prefix);
    await registryIam.createRole(name, { path: LOOKALIKE_PATH, trustPolicy, inlinePolicies: { [env().PULLGATE_REGISTRY_ROLE_NAME]: policy } });
    return name;
  }
  const checkLookalike = (roleName: string) =>
    checkRegistryRole({ account: { accountId: REGISTRY, partition: "aws" }, iamPath: LOOKALIKE_PATH, roleName, portalArn, region: ctx.region }, clients.iam);

  beforeAll(async () => {
    const repo = await registry.createRepository();
    marked = repo.name;
    productIds.push((await createProduct({ accountId: REGISTRY, region: ctx.region, repositories: [repo.name] })).id);
  });

  afterAll(() => {
    registry.destroy();
    registryIam.destroy();
    clients.destroy();
  });

  it("passes every check with the account's role set up as Pullgate asks", async () => {
    const results = await registryPreflight();
    expect([...new Set(results.map((r) => r.group))]).toEqual(["registry role", "repository marks"]);
    const role = `arn:aws:iam::${REGISTRY}:role${env().PULLGATE_IAM_PATH}${env().PULLGATE_REGISTRY_ROLE_NAME}`;
    expect(results.slice(0, 2)).toEqual([
      { group: "registry role", check: `${role} exists`, ok: true },
      { group: "registry role", check: `${role} trusts ${portalArn} alone`, ok: true },
    ]);
    expect(results.find((r) => r.check.startsWith("allows ManageRepositoryPolicies on "))?.check).toBe(
      `allows ManageRepositoryPolicies on ${repositoryArn("pullgate-preflight-1", REGISTRY)}`,
    );
    expect(results.filter((r) => r.check.startsWith("denies ")).map((r) => r.check)).toEqual([
      "denies no repository policy change on an unmarked repository",
      "denies no marking of a repository",
      "denies no other tag than the product's on a marked repository",
      "denies no pulls by the portal",
      "denies no pushes by the portal",
    ]);
    expect(results.find((r) => r.check.startsWith("PULLGATE_REGISTRY_ACCOUNTS"))).toEqual({ group: "registry role", check: `PULLGATE_REGISTRY_ACCOUNTS names ${REGISTRY}`, ok: true });
    // Only this account's repositories, read as its administrator.
    const marks = results.filter((r) => r.group === "repository marks");
    expect(marks.find((r) => r.check === repositoryArn(marked, REGISTRY))).toMatchObject({ ok: true });
    expect(marks.every((r) => r.check.startsWith(`arn:aws:ecr:${ctx.region}:${REGISTRY}:repository/`))).toBe(true);
    // Other files' repositories may be unmarked or gone on purpose; every other check must pass.
    expect(failures(results.filter((r) => r.group !== "repository marks"))).toEqual([]);
  });

  it("names a trust that lets another principal assume the role instead of the portal", async () => {
    const other = `arn:aws:iam::${ctx.accountId}:user/vendor-administrator`;
    const name = await roleLookalike("preflight-trust", registryRoleTrustPolicy(other), registryRolePolicyDocument({ accountId: REGISTRY, partition: "aws" }));
    const results = await checkLookalike(name);
    expect(failures(results)).toEqual([
      {
        group: "registry role",
        check: `${lookalikeArn(name)} trusts ${portalArn} alone`,
        ok: false,
        note: `${portalArn} may not assume it; ${other} may assume it too`,
        fix: `aws iam update-assume-role-policy --role-name ${name} --policy-document '${JSON.stringify(registryRoleTrustPolicy(portalArn))}'`,
      },
    ]);
    // The account's own role, checked for a portal it does not trust, says the same.
    const trustLine = (await registryPreflight(other)).find((r) => r.check.includes(" trusts "));
    expect(trustLine).toMatchObject({ ok: false, note: `${other} may not assume it; ${portalArn} may assume it too` });
  });

  it("names the missing permission of a role whose policy lacks a statement, and a role that is not there", async () => {
    const policy = registryRolePolicyDocument({ accountId: REGISTRY, partition: "aws" });
    const name = await roleLookalike("preflight-lacking", registryRoleTrustPolicy(portalArn), { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "ManageRepositoryPolicies") });
    expect(failures(await checkLookalike(name))).toEqual([
      expect.objectContaining({
        check: `allows ManageRepositoryPolicies on ${repositoryArn("pullgate-preflight-1", REGISTRY)}`,
        note: "not allowed: ecr:GetRepositoryPolicy, ecr:SetRepositoryPolicy, ecr:DeleteRepositoryPolicy, ecr:DescribeImages",
        fix: expect.stringContaining(deployRegistryRole(portalArn, LOOKALIKE_PATH, name)),
      }),
    ]);

    const missing = unique("preflight-missing");
    expect(await checkLookalike(missing)).toEqual([
      { group: "registry role", check: `${lookalikeArn(missing)} exists`, ok: false, note: "no role of that name", fix: deployRegistryRole(portalArn, LOOKALIKE_PATH, missing) },
    ]);
  });

  it("names a repository of the account sold without the mark, which the home account's run leaves to it", async () => {
    const repo = await registry.createRepository({ unmarked: true });
    productIds.push((await createProduct({ accountId: REGISTRY, region: ctx.region, repositories: [repo.name] })).id);
    const arn = repositoryArn(repo.name, REGISTRY);
    expect((await registryPreflight()).find((r) => r.check === arn)).toEqual({
      group: "repository marks",
      check: arn,
      ok: false,
      note: `not tagged ${MANAGED_TAG.key}=${MANAGED_TAG.value}`,
      fix: `aws ecr tag-resource --resource-arn ${arn} --tags Key=pullgate:managed,Value=true`,
    });
    expect((await preflight()).find((r) => r.check === arn)).toBeUndefined();
  });
});
