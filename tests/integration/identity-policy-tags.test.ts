// The identity-policy strategy at scale: IAM allows a user 2,048 characters of inline policy,
// which named about 20 repository ARNs. The policy now names the customer's products, and each
// repository carries its product's tag; every pull below is judged by the tests' AWS oracle.
import { describe, expect, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { systemActor } from "@/lib/audit/actor";
import { getRepositoryTag, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { getUserInlinePolicy } from "@/lib/aws/iam";
import { INLINE_POLICY_MAX_CHARS, INLINE_PULL_POLICY_NAME, inlinePolicyChars } from "@/lib/aws/identity-pull-policy";
import { PRODUCT_TAG_KEY } from "@/lib/aws/pull-policy";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { auditDrift } from "@/lib/provisioning/audit-drift";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";
import { reconcileRepository } from "@/lib/provisioning/reconcile-repository";
import { awsAdminFixture } from "../support/product-fixture";
import { probe } from "../support/aws-probe";
import { pullAs } from "../support/customer-pull";
import { createProduct, inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");

async function identityProduct(repositoryCount: number) {
  const repos: RepositoryRef[] = [];
  for (let i = 0; i < repositoryCount; i++) repos.push(await admin.createRepository());
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: repos.map((r) => r.name) });
  await db.repository.updateMany({ where: { productId: product.id }, data: { strategy: "IDENTITY_POLICY", strategyReason: "test" } });
  return { product, repos };
}

async function grant(email: string, slug: string) {
  const granted = await grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug: slug, expiresAt: inAYear() } });
  return granted.entitlement;
}

async function customerKey(customerId: string) {
  const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId }, include: { accessKeys: { where: { status: "ACTIVE" } } } });
  const { accessKeyId } = identity.accessKeys[0]!;
  const { secretAccessKey } = await revealSecret({ actor, customerId, accessKeyId });
  return { identity, credentials: { accessKeyId, secretAccessKey } };
}

describe("identity policies that name products", () => {
  it("give a customer 40 repositories of 4 products in one inline policy far inside IAM's 2,048 characters", async () => {
    const products = [];
    for (let i = 0; i < 4; i++) products.push(await identityProduct(10));
    const email = `${unique("forty-repos")}@example.com`;
    const entitlements = [];
    for (const { product } of products) entitlements.push(await grant(email, product.slug));
    const customerId = entitlements[0]!.customerId;
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });

    const { identity, credentials } = await customerKey(customerId);
    const grant_ = await probe.inlinePullGrant(identity.userName);
    expect(grant_).toEqual({ repositoryArns: [], productTags: products.map((p) => String(p.product.pullTag)).sort() });
    const chars = inlinePolicyChars((await getUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME)) as object);
    // Named by ARN, 40 repositories would need about 2,900 characters.
    expect(chars).toBeLessThan(INLINE_POLICY_MAX_CHARS / 4);
    for (const { product, repos } of products) {
      for (const repo of repos) {
        expect(await getRepositoryTag(repo, "aws", PRODUCT_TAG_KEY)).toBe(String(product.pullTag));
        expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, repo)).toBe("ok");
      }
      const access = await checkPullAccess(customerId, product.id);
      expect(access.allowed, access.reason).toBe(true);
      expect(access.repositories[0]!.reason).toMatch(/inline policy PullgatePull/);
    }
    for (const e of await db.entitlement.findMany({ where: { id: { in: entitlements.map((x) => x.id) } } })) expect(e.syncStatus).toBe("SYNCED");

    // Revoking one product takes exactly its repositories away, by the same policy.
    await revokeEntitlement({ actor, entitlementId: entitlements[0]!.id });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect((await probe.inlinePullGrant(identity.userName)).productTags).toEqual(products.slice(1).map((p) => String(p.product.pullTag)).sort());
    const revoked = await checkPullAccess(customerId, products[0]!.product.id);
    expect(revoked.allowed).toBe(false);
    expect(revoked.repositories[0]!.reason).toMatch(/Condition does not hold|No statement allows/);
    expect((await checkPullAccess(customerId, products[1]!.product.id)).allowed).toBe(true);
    expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, products[0]!.repos[0]!)).toMatch(/^ecr:\w+ denied because no identity-based policy allows it/);
    expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, products[1]!.repos[0]!)).toBe("ok");
  });

  it("treat a product tag removed by hand as drift: found, reported and put back", async () => {
    const { product, repos } = await identityProduct(1);
    const e = await grant(`${unique("tag-drift")}@example.com`, product.slug);
    expect(await convergeCustomer(e.customerId, actor)).toEqual({ ok: true });
    const { credentials } = await customerKey(e.customerId);
    const repo = repos[0]!;
    await admin.untagRepository(repo, PRODUCT_TAG_KEY);
    expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, repo)).toMatch(/denied/);

    const { findings } = await auditDrift();
    const label = `${repo.accountId}/${repo.region}/${repo.name}`;
    expect(findings.filter((f) => "repository" in f && f.repository === label)).toEqual([
      { kind: "missing-product-tag", repository: label, repositoryId: product.repositories[0]!.id, expected: String(product.pullTag), actual: null },
    ]);
    expect(await getRepositoryTag(repo, "aws", PRODUCT_TAG_KEY)).toBe(String(product.pullTag));
    expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, repo)).toBe("ok");
    expect((await auditDrift()).findings.filter((f) => "repository" in f && f.repository === label)).toEqual([]);
  });

  it("move customers whose policy names repository ARNs to the product tag with a pull allowed at every step", async () => {
    const { product, repos } = await identityProduct(2);
    const customers = [];
    for (let i = 0; i < 2; i++) {
      const e = await grant(`${unique("arn-era")}@example.com`, product.slug);
      customers.push(e.customerId);
    }
    // The state an installation from before product tags is in: identity-policy repositories
    // without the tag, and inline policies naming their ARNs.
    const repositoryIds = product.repositories.map((r) => r.id);
    for (const customerId of customers) {
      expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    }
    await db.repository.updateMany({ where: { id: { in: repositoryIds } }, data: { taggedFor: null } });
    for (const repo of repos) await admin.untagRepository(repo, PRODUCT_TAG_KEY);
    const arns = repos.map((r) => repositoryArn(r, "aws")).sort();
    const keys: { customerId: string; userName: string; credentials: { accessKeyId: string; secretAccessKey: string } }[] = [];
    for (const customerId of customers) {
      const { identity, credentials } = await customerKey(customerId);
      await admin.putUserPolicy(identity.userName, INLINE_PULL_POLICY_NAME, {
        Version: "2012-10-17",
        Statement: [{ Sid: "PullEntitledRepositories", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: arns }],
      });
      keys.push({ customerId, userName: identity.userName, credentials });
    }
    const everyonePulls = async (step: string) => {
      for (const { credentials } of keys) for (const repo of repos) expect(await pullAs(ctx.awsEndpoint, credentials.accessKeyId, repo), step).toBe("ok");
    };
    await everyonePulls("before");

    // Step 1: the customer's own reconcile keeps the ARNs while the repositories have no tag.
    for (const { customerId, userName } of keys) {
      const result = await reconcileCustomer(customerId, actor, { recheckIdentity: true });
      expect(result.ok && [...result.waitingOn].sort()).toEqual([...repositoryIds].sort());
      expect(await probe.inlinePullGrant(userName)).toEqual({ repositoryArns: arns, productTags: [] });
    }
    await everyonePulls("after the customers' reconcile");

    // Step 2: each repository's reconcile tags it, one at a time; the ARNs still serve.
    for (const id of repositoryIds) {
      const { customers: next } = await reconcileRepository(id, actor);
      expect(next.sort()).toEqual([...customers].sort());
      await everyonePulls(`after tagging ${id}`);
    }

    // Step 3: the customers' policies name the product instead, one customer at a time.
    for (const { customerId, userName } of keys) {
      expect(await reconcileCustomer(customerId, actor)).toEqual({ ok: true, waitingOn: [] });
      expect(await probe.inlinePullGrant(userName)).toEqual({ repositoryArns: [], productTags: [String(product.pullTag)] });
      await everyonePulls(`after ${userName} moved`);
    }
    // Converged: nothing more to do.
    for (const { customerId } of keys) expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  });
});
