import { describe, expect, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { systemActor } from "@/lib/audit/actor";
import { PULL_STATEMENT_SID, REPOSITORY_POLICY_MAX_CHARS } from "@/lib/aws/pull-policy";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdminFixture } from "../support/product-fixture";
import { probe } from "../support/aws-probe";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { createProduct, inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");

async function productOn(repositoryCount: number, strategy: "REPOSITORY_POLICY" | "IDENTITY_POLICY") {
  const repos = [];
  for (let i = 0; i < repositoryCount; i++) repos.push(await admin.createRepository({ foreignStatement: FOREIGN_STATEMENT }));
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: repos.map((r) => r.name) });
  await db.repository.updateMany({ where: { productId: product.id }, data: { strategy } });
  return { product, repos };
}

async function purchase(slug: string) {
  const granted = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: `${unique("strategy")}@example.com`, productSlug: slug, expiresAt: inAYear() },
  });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  return granted.entitlement;
}

describe("the two grant strategies", () => {
  it("give exactly the same access, judged by an evaluator independent of the code that wrote the policies", async () => {
    const viaRepository = await productOn(2, "REPOSITORY_POLICY");
    const viaIdentity = await productOn(2, "IDENTITY_POLICY");
    const x = await purchase(viaRepository.product.slug);
    const y = await purchase(viaIdentity.product.slug);

    const matrix = async (customerId: string) => ({
      repositoryPolicyProduct: await checkPullAccess(customerId, viaRepository.product.id),
      identityPolicyProduct: await checkPullAccess(customerId, viaIdentity.product.id),
    });
    const [ax, ay] = [await matrix(x.customerId), await matrix(y.customerId)];
    // Each customer pulls every repository of its own product and nothing of the other one.
    expect(ax.repositoryPolicyProduct.repositories.map((r) => r.allowed)).toEqual([true, true]);
    expect(ax.identityPolicyProduct.repositories.map((r) => r.allowed)).toEqual([false, false]);
    expect(ay.identityPolicyProduct.repositories.map((r) => r.allowed)).toEqual([true, true]);
    expect(ay.repositoryPolicyProduct.repositories.map((r) => r.allowed)).toEqual([false, false]);
    // ... for the reason each strategy gives.
    for (const r of ax.repositoryPolicyProduct.repositories) expect(r.reason).toContain(`"${PULL_STATEMENT_SID}" of the repository policy`);
    for (const r of ay.identityPolicyProduct.repositories) expect(r.reason).toMatch(/inline policy PullgatePull/);
    expect(ax.identityPolicyProduct.repositories[0]!.reason).toMatch(/^Missing ecr:/);

    // The identity strategy leaves the repository policies alone; the foreign statement stays.
    for (const repo of viaIdentity.repos) {
      expect(await probe.principals(repo)).toEqual([]);
      expect((await probe.policy(repo)).Statement).toEqual([FOREIGN_STATEMENT]);
    }

    // Revocation ends both kinds of access the same way.
    for (const e of [x, y]) {
      await revokeEntitlement({ actor, entitlementId: e.id });
      expect(await convergeCustomer(e.customerId, actor)).toEqual({ ok: true });
    }
    expect((await checkPullAccess(x.customerId, viaRepository.product.id)).reason).toBe("The customer has no IAM user");
    expect((await checkPullAccess(y.customerId, viaIdentity.product.id)).reason).toBe("The customer has no IAM user");
    for (const repo of viaRepository.repos) expect(await probe.principals(repo)).toEqual([]);
  });

  it("moves a repository whose pull statement would pass 10,240 characters to identity policies, with no write and no gap in access", async () => {
    const { product, repos } = await productOn(1, "REPOSITORY_POLICY");
    const repo = repos[0]!;
    const first = await purchase(product.slug);
    const firstArn = (await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: first.customerId } })).arn;
    expect(await probe.principals(repo)).toEqual([firstArn]);

    // The vendor's own statement grows until the policy has room for no further principal.
    const policy = await probe.policy(repo);
    const pullgate = policy.Statement.find((s: { Sid?: string }) => s.Sid === PULL_STATEMENT_SID);
    const padded = (padding: number) => ({ ...FOREIGN_STATEMENT, Condition: { StringEquals: { "aws:PrincipalTag/team": "t".repeat(padding) } } });
    const size = (padding: number) => JSON.stringify({ Version: "2012-10-17", Statement: [padded(padding), pullgate] }).length;
    const padding = REPOSITORY_POLICY_MAX_CHARS - 40 - size(0);
    await admin.setRepositoryPolicy(repo.name, { Version: "2012-10-17", Statement: [padded(padding), pullgate] });

    const second = await purchase(product.slug);
    // Switched without a write: the first customer keeps its statement entry until its access ends.
    expect((await checkPullAccess(first.customerId, product.id)).repositories[0]!.reason).toContain("of the repository policy");
    // Its next reconcile changes nothing: the statement entry serves it, no inline policy is written.
    expect(await convergeCustomer(first.customerId, actor)).toEqual({ ok: true });
    const firstUser = (await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: first.customerId } })).userName;
    expect(await probe.inlinePolicyNames(firstUser)).toEqual([]);

    const stored = await db.repository.findUniqueOrThrow({ where: { id: product.repositories[0]!.id } });
    expect(stored.strategy).toBe("IDENTITY_POLICY");
    expect(stored.strategyReason).toMatch(/ECR allows 10240/);
    expect(await probe.principals(repo)).toEqual([firstArn]);
    for (const [e, via] of [[first, /of the repository policy/], [second, /inline policy PullgatePull/]] as const) {
      const access = await checkPullAccess(e.customerId, product.id);
      expect(access.allowed, access.reason).toBe(true);
      expect(access.repositories[0]!.reason).toMatch(via);
    }
    // Its access ending takes it out of the statement; only the vendor's statement is left.
    await revokeEntitlement({ actor, entitlementId: first.id });
    expect(await convergeCustomer(first.customerId, actor)).toEqual({ ok: true });
    expect((await probe.policy(repo)).Statement).toEqual([padded(padding)]);
    const changes = await db.auditEvent.findMany({ where: { action: "repository.strategy_changed" } });
    expect(changes.map((c) => (c.data as { repository: string }).repository)).toContain(`${ctx.accountId}/${ctx.region}/${repo.name}`);
  });
});
