// IAM allows 5,000 users per account, for good. The tests' AWS enforces the quota; these tests
// lower it to the account's current count rather than creating thousands of users.
import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { userQuotaUsage } from "@/lib/aws/iam";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { getEngineView } from "@/lib/health/engine-view";
import { iamUserQuota, quotaLevel } from "@/lib/health/iam-user-quota";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { setOracleLimits } from "../support/aws-oracle/oracle-proxy";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
const { product } = productOnNewRepositoryFixture();

afterAll(() => setOracleLimits(ctx.awsEndpoint));

describe("IAM's quota of users", () => {
  it("is read from AWS for the Engine page, warned from 80 % and shown full at the limit", async () => {
    const { users } = await userQuotaUsage();
    await setOracleLimits(ctx.awsEndpoint, { usersPerAccount: users });
    // Read past the page's minute-long cache.
    const later = Date.now() + 120_000;
    expect(await iamUserQuota(later)).toEqual({ users, quota: users, level: "full" });
    expect(quotaLevel(79, 100)).toBe("ok");
    expect(quotaLevel(80, 100)).toBe("warning");
    expect(quotaLevel(100, 100)).toBe("full");
    expect((await getEngineView()).iamUsers).toMatchObject({ quota: users });
  });

  it("refuses a new customer's user cleanly at the limit, and provisions it once there is room", async () => {
    const { users } = await userQuotaUsage();
    await setOracleLimits(ctx.awsEndpoint, { usersPerAccount: users });
    const { entitlement } = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: `${unique("quota")}@example.com`, productSlug: product.slug, expiresAt: inAYear() },
    });
    const result = await convergeCustomer(entitlement.customerId, actor);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/IAM's quota of users in account \d{12} is reached.*UsersPerAccount/) });
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toMatchObject({ syncStatus: "FAILED" });

    await setOracleLimits(ctx.awsEndpoint);
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
  });
});
