import { describe, expect, it } from "vitest";
import { getAccessCheckView, type AccessCheck, type AccessCheckView } from "@/lib/access/access-check-view";
import { systemActor } from "@/lib/audit/actor";
import { PULL_STATEMENT_SID } from "@/lib/aws/pull-policy";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { awsAdminFixture } from "../support/product-fixture";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { createProduct, inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");

async function purchase(email: string, slug: string, customerName?: string) {
  const granted = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: email, customerName, productSlug: slug, expiresAt: inAYear() },
  });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  return granted.entitlement;
}

function checked(view: AccessCheckView): AccessCheck {
  expect(view.check).not.toBeNull();
  return view.check!;
}

function answered(check: AccessCheck) {
  if (!check.aws.ok) throw new Error(`AWS gave no answer: ${check.aws.error}`);
  return check.aws.access;
}

describe("the access check", () => {
  it("answers from AWS with the statement that allows, and flags AWS changed behind the engine's back", async () => {
    const { repo, product } = await admin.productOnNewRepository({ foreignStatement: FOREIGN_STATEMENT });
    const e = await purchase(`${unique("check")}@example.com`, product.slug);

    const before = checked(await getAccessCheckView({ customer: e.customerId, product: product.id }));
    const access = answered(before);
    expect(access.allowed).toBe(true);
    expect(access.repositories).toEqual([
      expect.objectContaining({
        repository: repo.name,
        accountId: ctx.accountId,
        region: ctx.region,
        strategy: "REPOSITORY_POLICY",
        allowed: true,
        reason: expect.stringContaining(`Allowed by statement "${PULL_STATEMENT_SID}" of the repository policy`),
      }),
    ]);
    expect(before.expected).toMatchObject({ grants: true, entitlement: { id: e.id, state: "active" } });
    expect(before.agreement).toEqual({ kind: "agree" });

    // Someone rewrites the repository policy by hand, dropping Pullgate's statement.
    await admin.setRepositoryPolicy(repo.name, { Version: "2012-10-17", Statement: [FOREIGN_STATEMENT] });
    const after = checked(await getAccessCheckView({ customer: e.customerId, product: product.id }));
    const denied = answered(after);
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toBe(`No pull from ${repo.name}`);
    expect(denied.repositories[0]!.reason).toBe(
      `Missing ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability: No statement allows them on arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${repo.name}`,
    );
    // ... and where an allow was looked for: the user's own policies grant only the registry login.
    expect(denied.principal).toMatchObject({ identityPolicies: ["managed policy AmazonEC2ContainerRegistryLogin"] });
    expect(after.expected.grants).toBe(true);
    expect(after.agreement).toEqual({ kind: "disagree", repositories: [{ id: product.repositories[0]!.id, name: repo.name }], remedy: "drift-repair" });

    // Ended through the engine, the two agree again and no drift is left for later files.
    await revokeEntitlement({ actor, entitlementId: e.id });
    expect(await convergeCustomer(e.customerId, actor)).toEqual({ ok: true });
    const ended = checked(await getAccessCheckView({ customer: e.customerId, product: product.id }));
    expect(answered(ended).reason).toBe("The customer has no IAM user");
    expect(ended.agreement).toEqual({ kind: "agree" });
  });

  it("names the customer's own identity policy under the identity-policy strategy", async () => {
    const { product } = await admin.productOnNewRepository();
    await db.repository.updateMany({ where: { productId: product.id }, data: { strategy: "IDENTITY_POLICY" } });
    const e = await purchase(`${unique("inline")}@example.com`, product.slug);

    const check = checked(await getAccessCheckView({ customer: e.customerId, product: product.id }));
    expect(answered(check).repositories).toEqual([
      expect.objectContaining({
        strategy: "IDENTITY_POLICY",
        allowed: true,
        reason: expect.stringMatching(/: Allowed by identity policy "inline policy PullgatePull" \(statement "\w+"\)$/),
      }),
    ]);
    expect(check.agreement).toEqual({ kind: "agree" });
  });

  it("denies after revocation, says what is missing, and notices access the database no longer wants", async () => {
    const email = `${unique("revoked")}@example.com`;
    const kept = await admin.productOnNewRepository();
    const ended = await admin.productOnNewRepository();
    await purchase(email, kept.slug);
    const e = await purchase(email, ended.slug);

    // Ended in the database only: AWS still lets the customer in until the engine catches up.
    await db.entitlement.update({ where: { id: e.id }, data: { status: "REVOKED", endedAt: new Date(), syncStatus: "FAILED" } });
    const stale = checked(await getAccessCheckView({ customer: e.customerId, product: ended.product.id }));
    expect(answered(stale).allowed).toBe(true);
    expect(stale.expected).toMatchObject({ grants: false, entitlement: { id: e.id, status: "REVOKED" } });
    expect(stale.agreement).toEqual({ kind: "disagree", repositories: [{ id: ended.product.repositories[0]!.id, name: ended.repo.name }], remedy: "retry-provisioning" });

    await db.entitlement.update({ where: { id: e.id }, data: { status: "ACTIVE", endedAt: null, syncStatus: "SYNCED" } });
    await revokeEntitlement({ actor, entitlementId: e.id });
    expect(await convergeCustomer(e.customerId, actor)).toEqual({ ok: true });

    // The user lives on for the other product, so the answer names what the policies lack.
    const revoked = checked(await getAccessCheckView({ customer: e.customerId, product: ended.product.id }));
    const access = answered(revoked);
    expect(access.allowed).toBe(false);
    expect(access.repositories[0]!.reason).toMatch(
      /^Missing ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability: No statement allows them on arn:aws:ecr:/,
    );
    expect(revoked.expected).toMatchObject({ grants: false, entitlement: { id: e.id, state: "revoked" } });
    expect(revoked.agreement).toEqual({ kind: "agree" });
    expect(answered(checked(await getAccessCheckView({ customer: e.customerId, product: kept.product.id }))).allowed).toBe(true);
  });

  it("answers for a repository deleted in AWS, and shows AWS failures instead of throwing", async () => {
    const { slug } = await admin.productOnNewRepository();
    const e = await purchase(`${unique("missing")}@example.com`, slug);
    const gone = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [`it/${unique("gone")}`] });
    // A region the SDK refuses stands for any AWS failure: the call never gets an answer.
    const nowhere = await createProduct({ accountId: ctx.accountId, region: "not a region", repositories: [`it/${unique("nowhere")}`] });
    // The portal may read marked repositories only: AWS answers one that is gone with AccessDenied.
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource.endsWith(`:repository/${gone.repositories[0]!.name}`));
    try {
      const missing = checked(await getAccessCheckView({ customer: e.customerId, product: gone.id }));
      expect(answered(missing).repositories[0]).toMatchObject({ allowed: false, reason: expect.stringMatching(/^The repository does not exist in AWS/) });

      const failed = checked(await getAccessCheckView({ customer: e.customerId, product: nowhere.id }));
      expect(failed.aws).toMatchObject({ ok: false, accessDenied: false, error: expect.stringContaining("ecr:GetRepositoryPolicy") });
      expect(failed.agreement).toEqual({ kind: "unknown" });
    } finally {
      // Later files audit every repository in the database; these two have no counterpart in AWS.
      const ids = [gone.id, nowhere.id];
      await db.repository.deleteMany({ where: { productId: { in: ids } } });
      await db.product.deleteMany({ where: { id: { in: ids } } });
    }
  });

  it("finds the customer by id, email or part of the name, and lists several matches to choose from", async () => {
    const tag = unique("Globex");
    const { slug, product } = await admin.productOnNewRepository();
    const first = await purchase(`${unique("a")}@example.com`, slug, `${tag} Europe`);
    const second = await purchase(`owner-${tag.toLowerCase()}@example.com`, slug, `${tag} Americas`);
    const found = (id: string) => expect.objectContaining({ kind: "found", customer: expect.objectContaining({ id }) });

    const byId = await getAccessCheckView({ customer: first.customerId, product: product.id });
    expect(byId.customer).toEqual(found(first.customerId));
    expect(byId.check?.customer.name).toBe(`${tag} Europe`);
    const email = (await db.user.findFirstOrThrow({ where: { customerId: first.customerId } })).email;
    expect((await getAccessCheckView({ customer: email.toUpperCase() })).customer).toEqual(found(first.customerId));
    expect((await getAccessCheckView({ customer: `${tag} eur` })).customer).toEqual(found(first.customerId));

    // Several match: each one is offered, nothing is checked until one is chosen.
    const several = await getAccessCheckView({ customer: tag.toUpperCase(), product: product.id });
    expect(several.check).toBeNull();
    expect(several.customer).toEqual({
      kind: "ambiguous",
      more: false,
      matches: [
        { id: second.customerId, name: `${tag} Americas`, email: `owner-${tag.toLowerCase()}@example.com` },
        { id: first.customerId, name: `${tag} Europe`, email },
      ],
    });

    expect((await getAccessCheckView({ customer: `${tag}-nobody` })).customer).toEqual({ kind: "no-match" });
    const unknownProduct = await getAccessCheckView({ customer: first.customerId, product: "no-such-product" });
    expect(unknownProduct).toMatchObject({ productUnknown: true, product: null, check: null });
    expect(unknownProduct.products.map((p) => p.id)).toContain(product.id);
  });
});
