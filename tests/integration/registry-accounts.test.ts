// Repositories in the vendor's other accounts: customer users stay in the portal's account, the
// portal edits the other account's repository policies through the registry role there, and a
// pull needs both sides, as across accounts in AWS. Every call and pull is judged by the tests'
// AWS oracle, which spans both accounts.
import { afterAll, describe, expect, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { systemActor } from "@/lib/audit/actor";
import { getRepositoryPolicy, getRepositoryTag, type RepositoryRef } from "@/lib/aws/ecr";
import { PRODUCT_TAG_KEY, pullPrincipals, VENDOR_USERS_STATEMENT_SID, withVendorUsers } from "@/lib/aws/pull-policy";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { AppError } from "@/lib/errors";
import { attachRepository } from "@/lib/products/attach-repository";
import { auditDrift } from "@/lib/provisioning/audit-drift";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { pullAs } from "../support/customer-pull";
import { awsAdminFixture } from "../support/product-fixture";
import { createProduct, inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
// The vendor's administrator of its second account, where the registry role was set up.
const registryAdmin = awsAdmin({ ...ctx, accountId: ctx.registryAccount.accountId, admin: ctx.registryAccount.admin });
afterAll(() => registryAdmin.destroy());
const actor = systemActor("test");

type Statement = { Sid?: string; Principal?: unknown; Condition?: unknown };
const statementsOf = (policy: string | null) => (policy ? (JSON.parse(policy) as { Statement: Statement[] }).Statement : []);

async function productOf(repos: RepositoryRef[]) {
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
  for (const repo of repos) await attachRepository({ actor, input: { productId: product.id, accountId: repo.accountId, region: repo.region, name: repo.name } });
  return product;
}

async function grant(slug: string) {
  const { entitlement } = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: `${unique("registry")}@example.com`, productSlug: slug, expiresAt: inAYear() },
  });
  return entitlement;
}

async function keyOf(customerId: string) {
  const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId }, include: { accessKeys: { where: { status: "ACTIVE" } } } });
  const { accessKeyId } = identity.accessKeys[0]!;
  await revealSecret({ actor, customerId, accessKeyId });
  return { identity, accessKeyId };
}

describe("repositories in the vendor's other accounts", () => {
  it("are attached, trusted and pulled from across accounts, and taken away in revocation order", async () => {
    const there = await registryAdmin.createRepository();
    const here = await admin.createRepository();
    expect(there.accountId).toBe(ctx.registryAccount.accountId);
    const product = await productOf([there, here]);
    const entitlement = await grant(product.slug);
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });

    // The other account's policy trusts the portal account's customer users once, by path, and
    // its keyless roles by name; it names no customer.
    const policy = await getRepositoryPolicy(there);
    const trust = statementsOf(policy).find((s) => s.Sid === VENDOR_USERS_STATEMENT_SID);
    expect(trust).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` },
      Condition: {
        ArnLike: {
          "aws:PrincipalArn": [
            `arn:aws:iam::${ctx.accountId}:user/pullgate/*`,
            `arn:aws:iam::${ctx.accountId}:role/pullgate/pullgate-registry-broker`,
            `arn:aws:iam::${ctx.accountId}:role/pullgate/pullgate-workload-*`,
          ],
        },
      },
    });
    expect(pullPrincipals(policy)).toEqual([]);
    const row = await db.repository.findFirstOrThrow({ where: { accountId: there.accountId, name: there.name } });
    expect(row.strategy).toBe("IDENTITY_POLICY");
    expect(row.strategyReason).toMatch(new RegExp(`in account ${there.accountId}`));
    expect(await getRepositoryTag(there, "aws", PRODUCT_TAG_KEY)).toBe(String(product.pullTag));
    // The repository of the portal's own account keeps naming the customer in its policy.
    const { identity, accessKeyId } = await keyOf(entitlement.customerId);
    expect(pullPrincipals(await getRepositoryPolicy(here))).toEqual([identity.arn]);
    expect((await probe.inlinePullGrant(identity.userName)).productTags).toEqual([String(product.pullTag)]);

    expect(await pullAs(ctx.awsEndpoint, accessKeyId, there)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, here)).toBe("ok");
    const access = await checkPullAccess(entitlement.customerId, product.id);
    expect(access.allowed, access.reason).toBe(true);

    await revokeEntitlement({ actor, entitlementId: entitlement.id });
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
    expect(await admin.customerUserNames(entitlement.customerId)).toEqual([]);
    // The trust stays for the next customer; it lets nobody pull whose own policy does not.
    expect(statementsOf(await getRepositoryPolicy(there)).some((s) => s.Sid === VENDOR_USERS_STATEMENT_SID)).toBe(true);
  });

  it("need both sides: the trust alone gives a customer of another product nothing there", async () => {
    const there = await registryAdmin.createRepository();
    const sold = await productOf([there]);
    const other = await productOf([await admin.createRepository()]);
    const buyer = await grant(sold.slug);
    const bystander = await grant(other.slug);
    for (const e of [buyer, bystander]) expect(await convergeCustomer(e.customerId, actor)).toEqual({ ok: true });

    const { accessKeyId } = await keyOf(bystander.customerId);
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, there)).toMatch(/denied/);
    const access = await checkPullAccess(bystander.customerId, sold.id);
    expect(access.allowed).toBe(false);
  });

  it("refuse an account that is not configured, and an unmarked repository says how to mark it", async () => {
    const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
    await expect(attachRepository({ actor, input: { productId: product.id, accountId: "999988887777", region: ctx.region, name: "anything" } })).rejects.toThrow(
      /999988887777 is not one of the configured accounts/,
    );
    await expect(attachRepository({ actor, input: { productId: product.id, accountId: "999988887777", region: ctx.region, name: "anything" } })).rejects.toBeInstanceOf(AppError);

    const unmarked = await registryAdmin.createRepository({ unmarked: true });
    await attachRepository({ actor, input: { productId: product.id, accountId: unmarked.accountId, region: unmarked.region, name: unmarked.name } });
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource.endsWith(`:repository/${unmarked.name}`));
    const entitlement = await grant(product.slug);
    const result = await convergeCustomer(entitlement.customerId, actor);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(new RegExp(`${unmarked.accountId}/${unmarked.region}/${unmarked.name} is not marked as Pullgate's`));

    // Once the vendor marks it there, the grant goes through (and later audits find nothing to refuse).
    await registryAdmin.markRepository(unmarked);
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
  });

  it("get their trust back when someone removes it, keeping the vendor's own statements", async () => {
    const audit = { Sid: "VendorAudit", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` }, Action: ["ecr:DescribeImages"] };
    const there = await registryAdmin.createRepository({ foreignStatement: audit });
    const product = await productOf([there]);
    const entitlement = await grant(product.slug);
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
    const { accessKeyId } = await keyOf(entitlement.customerId);

    await registryAdmin.setRepositoryPolicy(there.name, JSON.parse(withVendorUsers(await getRepositoryPolicy(there), null)!) as object);
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, there)).toMatch(/denied/);
    const { findings } = await auditDrift(actor);
    expect(findings).toContainEqual(expect.objectContaining({ kind: "missing-vendor-trust", repositoryId: expect.any(String) }));
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, there)).toBe("ok");
    expect(statementsOf(await getRepositoryPolicy(there)).map((s) => s.Sid)).toEqual(["VendorAudit", VENDOR_USERS_STATEMENT_SID]);
  });
});
