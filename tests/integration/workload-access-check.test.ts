// The access check and the customer's workload role (OIDC federation): the role is judged from
// its policies and boundary as IAM holds them, by the same evaluator as the IAM user, on each
// repository of a product that offers federation. Every IAM and ECR read the check makes goes
// through the tests' AWS oracle under the portal's real policy.
import { describe, expect, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { getAccessCheckView } from "@/lib/access/access-check-view";
import { systemActor } from "@/lib/audit/actor";
import { workloadRoleName } from "@/lib/aws/workload-role";
import { db } from "@/lib/db";
import { getEntitlementView } from "@/lib/entitlements/entitlement-view";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { readLiveAwsState } from "@/lib/entitlements/live-aws-state";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { registerWorkloadIdentity } from "@/lib/workload-identities/workload-identities";
import { federatedProduct } from "../support/federated-product";
import { awsAdminFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");

async function entitledCustomer(productSlug: string) {
  const { entitlement } = await grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique("workload-check")}@example.com`, productSlug, expiresAt: inAYear() } });
  expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
  const owner = await db.user.findFirstOrThrow({ where: { customerId: entitlement.customerId, role: "CUSTOMER_OWNER" } });
  return { customerId: entitlement.customerId, entitlement, owner: { type: "USER" as const, id: owner.id, label: owner.email } };
}

const roleArnOf = (customerId: string) => `arn:aws:iam::${ctx.accountId}:role/pullgate/${workloadRoleName(customerId)}`;

describe("the access check with a workload role", () => {
  it("judges the customer's workload role on its own policies: its products' repositories only, gone after revocation, and shows it live", async () => {
    const product = await federatedProduct(admin, ctx);
    const other = await federatedProduct(admin, ctx);
    await entitledCustomer(other.slug); // tags the other product's repository with its own product
    const keyOnly = await admin.productOnNewRepository(); // offers IAM user keys, not federation
    const { customerId, entitlement, owner } = await entitledCustomer(product.slug);

    // No workload trusted yet: no role, and without an IAM user the customer cannot pull.
    const before = await checkPullAccess(customerId, product.id);
    expect(before).toMatchObject({ allowed: false, reason: "The customer has no IAM user", workloadRole: null });

    await registerWorkloadIdentity({ actor: owner, customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy on main", subject: "repo:bigcorp/deploy:ref:refs/heads/main" } });
    const arn = roleArnOf(customerId);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ workloadRoleArn: arn });

    const access = await checkPullAccess(customerId, product.id);
    expect(access).toMatchObject({ allowed: true, reason: `The customer has no IAM user; its workload role ${arn} can pull every repository`, principal: null });
    expect(access.workloadRole).toEqual({
      arn,
      allowed: true,
      repositories: [
        expect.objectContaining({ repository: product.repo.name, strategy: "IDENTITY_POLICY", allowed: true, reason: expect.stringContaining("inline policy PullgatePull") }),
      ],
    });
    // The entitlement page's live state: the role recorded, in IAM, trusting the one workload.
    expect((await readLiveAwsState(null, product.repositories, customerId)).workloadRole).toEqual({ arn });
    expect((await getEntitlementView(entitlement.id))?.workloadRole).toEqual({ arn, trustedWorkloads: 1 });
    // The admin's page agrees with the entitlement through the role alone.
    const view = await getAccessCheckView({ customer: customerId, product: product.id });
    expect(view.check).toMatchObject({ aws: { ok: true, access: { allowed: true, workloadRole: { arn, allowed: true } } }, expected: { grants: true }, agreement: { kind: "agree" } });

    // Another product offering federation: its repository carries another product's tag.
    const otherAccess = await checkPullAccess(customerId, other.id);
    expect(otherAccess.allowed).toBe(false);
    expect(otherAccess.workloadRole).toMatchObject({ arn, allowed: false, repositories: [expect.objectContaining({ repository: other.repo.name, allowed: false })] });
    expect(otherAccess.workloadRole).not.toHaveProperty("note");

    // A product without federation is not the role's to pull: not judged, and it does not count.
    expect(await checkPullAccess(customerId, keyOnly.product.id)).toMatchObject({
      allowed: false,
      workloadRole: { arn, allowed: false, repositories: [], note: "The product does not offer OIDC federation, so the workload role is not given it" },
    });

    await revokeEntitlement({ actor, entitlementId: entitlement.id });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    const revoked = await checkPullAccess(customerId, product.id);
    expect(revoked).toMatchObject({ allowed: false, reason: "The customer has no IAM user", workloadRole: null });
    expect((await readLiveAwsState(null, product.repositories, customerId)).workloadRole).toBeNull();
    // The workload stays trusted: a renewal brings the role back.
    expect((await getEntitlementView(entitlement.id))?.workloadRole).toEqual({ arn: null, trustedWorkloads: 1 });

    // The database recording a role IAM no longer holds: the check reads IAM, which answers no role.
    await db.customer.update({ where: { id: customerId }, data: { workloadRoleArn: arn } });
    const note = "The role does not exist in AWS";
    expect((await checkPullAccess(customerId, product.id)).workloadRole).toEqual({
      arn,
      allowed: false,
      note,
      repositories: [expect.objectContaining({ repository: product.repo.name, allowed: false, reason: note })],
    });
    await db.customer.update({ where: { id: customerId }, data: { workloadRoleArn: null } });
  });
});
