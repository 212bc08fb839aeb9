// ECR validates every principal of a repository policy on each write, so one it refuses would
// fail everyone's change in a shared document. These tests run against the tests' AWS, which
// refuses a policy naming an account that does not exist, as ECR does.
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { accountRootArn } from "@/lib/aws/iam";
import { applyCustomerChange } from "@/lib/customers/apply-customer-change";
import { registerCustomerAccount } from "@/lib/customers/customer-accounts";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { probe } from "../support/aws-probe";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";

const actor = systemActor("test");
const { product } = productOnNewRepositoryFixture();

const grant = (prefix: string) =>
  grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique(prefix)}@example.com`, productSlug: product.slug, expiresAt: inAYear() } });

const identityArn = async (customerId: string) => (await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } })).arn;

describe("a principal AWS refuses in a repository policy", () => {
  it("holds up no one else: other grants land, revocations go through, and the refused grant fails with AWS's reason", async () => {
    const leaving = (await grant("refused-c")).entitlement;
    expect(await convergeCustomer(leaving.customerId, actor)).toEqual({ ok: true });
    const refusedOwner = (await grant("refused-a")).entitlement;
    expect(await convergeCustomer(refusedOwner.customerId, actor)).toEqual({ ok: true });

    // An account id that exists nowhere: ECR answers "Invalid repository policy provided".
    const missingAccount = "999900001111";
    // Proven once, then closed (as far as AWS is concerned, it exists nowhere now).
    await registerCustomerAccount({ actor, customerId: refusedOwner.customerId, accountId: missingAccount });
    await db.customerAccount.updateMany({ where: { liveFor: refusedOwner.customerId }, data: { provenAt: new Date() } });
    await applyCustomerChange(refusedOwner.customerId, actor);
    const failed = await db.entitlement.findUniqueOrThrow({ where: { id: refusedOwner.id } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(new RegExp(`AWS refused ${accountRootArn({ accountId: missingAccount, partition: "aws" })}.*Invalid repository policy provided`));

    // Everyone else's change still lands while that addition stays pending.
    const newcomer = (await grant("refused-b")).entitlement;
    expect(await convergeCustomer(newcomer.customerId, actor)).toEqual({ ok: true });
    await revokeEntitlement({ actor, entitlementId: leaving.id, reason: "test" });
    expect(await convergeCustomer(leaving.customerId, actor)).toEqual({ ok: true });

    const principals = await probe.principals(product.repo);
    expect(principals.sort()).toEqual([await identityArn(refusedOwner.customerId), await identityArn(newcomer.customerId)].sort());
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: newcomer.id } })).syncStatus).toBe("SYNCED");
    const refusedGrant = await db.repositoryGrant.findFirstOrThrow({ where: { principal: accountRootArn({ accountId: missingAccount, partition: "aws" }) } });
    expect(refusedGrant).toMatchObject({ desired: true, applied: false });
    const writes = await db.auditEvent.findMany({ where: { action: "aws.repository_policy.updated" }, orderBy: { id: "desc" }, take: 10 });
    expect(writes.some((e) => JSON.stringify(e.data).includes(missingAccount))).toBe(true);
  });
});
