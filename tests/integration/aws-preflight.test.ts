// The go-live check against the tests' AWS: everything passes with the account set up as
// Pullgate asks, and each fault injected one at a time is named as a FAIL with its fix. IAM's
// simulator is the oracle's (the emulator has none), judging with the same simulator that
// authorizes the portal's real calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { PreflightResult } from "@/lib/health/preflight/preflight-result";
import { runPreflight } from "@/lib/health/preflight/run-preflight";
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
const repositoryArn = (name: string) => `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`;

const policyOptions = () => ({
  accountId: ctx.accountId,
  iamPath: env().PULLGATE_IAM_PATH,
  loginPolicyName: env().PULLGATE_LOGIN_POLICY_NAME,
  boundaryPolicyName: env().PULLGATE_BOUNDARY_POLICY_NAME,
  cloudTrailBucket: env().PULLGATE_CLOUDTRAIL_BUCKET,
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
