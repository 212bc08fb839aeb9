import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeExpired } from "@/lib/provisioning/expire-entitlements";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { sleep } from "../support/deadline";
import { inAYear, unique } from "../support/seed";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

const ctx = inject("integration");
const actor = systemActor("test");
const admin = awsAdmin(ctx);
// Long enough for the grant to be provisioned before it ends.
const EXPIRY_MS = 3_000;

afterAll(async () => {
  admin.destroy();
  await closePools();
});

async function productOnNewRepository(gracePeriodDays = 0) {
  const { repo, slug } = await admin.productOnNewRepository({ gracePeriodDays });
  return { slug, repo };
}

async function grant(customerEmail: string, productSlug: string, expiresAt: string) {
  const granted = await grantEntitlement({ actor, source: "API", input: { customerEmail, productSlug, expiresAt } });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  return granted.entitlement;
}

async function waitUntilPast(date: Date) {
  const remaining = date.getTime() - Date.now();
  if (remaining > 0) await sleep(remaining + 100);
}

describe("the expiry job", () => {
  it("expires an ended entitlement, removes its access and deletes the user, once", async () => {
    const { slug, repo } = await productOnNewRepository();
    const expiresAt = new Date(Date.now() + EXPIRY_MS);
    const entitlement = await grant(`${unique("expiring")}@example.com`, slug, expiresAt.toISOString());
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    expect(await probe.principals(repo)).toEqual([identity.arn]);

    await waitUntilPast(expiresAt);
    const summary = await revokeExpired();
    expect(summary.expired).toBeGreaterThanOrEqual(1);
    expect(summary.failed, summary.errors.join("\n")).toBe(0);

    const after = await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } });
    expect(after).toMatchObject({ status: "EXPIRED", syncStatus: "SYNCED", endedReason: "expired", syncError: null });
    expect(after.endedAt).toBeInstanceOf(Date);
    expect(await probe.principals(repo)).toEqual([]);
    expect(await probe.userExists(identity.userName)).toBe(false);
    expect(await db.awsIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({ status: "DELETED", liveFor: null });
    const expiredEvents = await db.auditEvent.findMany({ where: { entitlementId: entitlement.id, action: "entitlement.expired" } });
    expect(expiredEvents).toHaveLength(1);
    expect(expiredEvents[0]!.actorType).toBe("SYSTEM");

    const again = await revokeExpired();
    expect(again.expired).toBe(0);
    expect(again.failed, again.errors.join("\n")).toBe(0);
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toEqual(after);
    expect(await db.auditEvent.count({ where: { entitlementId: entitlement.id, action: "entitlement.expired" } })).toBe(1);
  });

  it("leaves an entitlement within its product's grace period alone", async () => {
    const { slug, repo } = await productOnNewRepository(1);
    const expiresAt = new Date(Date.now() + EXPIRY_MS);
    const entitlement = await grant(`${unique("grace")}@example.com`, slug, expiresAt.toISOString());
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });

    await waitUntilPast(expiresAt);
    const summary = await revokeExpired();
    expect(summary.failed, summary.errors.join("\n")).toBe(0);

    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toMatchObject({
      status: "ACTIVE",
      syncStatus: "SYNCED",
      endedAt: null,
    });
    expect(await probe.principals(repo)).toEqual([identity.arn]);
    expect(await probe.userExists(identity.userName)).toBe(true);
    expect(await db.auditEvent.count({ where: { entitlementId: entitlement.id, action: "entitlement.expired" } })).toBe(0);
  });

  it("keeps the user and the other product's access when one of two products expires", async () => {
    const expiring = await productOnNewRepository();
    const lasting = await productOnNewRepository();
    const email = `${unique("two-products")}@example.com`;
    const expiresAt = new Date(Date.now() + EXPIRY_MS);
    const ending = await grant(email, expiring.slug, expiresAt.toISOString());
    const kept = await grant(email, lasting.slug, inAYear());
    expect(kept.customerId).toBe(ending.customerId);
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: ending.customerId } });
    expect(await probe.principals(expiring.repo)).toEqual([identity.arn]);
    expect(await probe.principals(lasting.repo)).toEqual([identity.arn]);
    const keyIds = await probe.keyIds(identity.userName);

    await waitUntilPast(expiresAt);
    const summary = await revokeExpired();
    expect(summary.expired).toBeGreaterThanOrEqual(1);
    expect(summary.failed, summary.errors.join("\n")).toBe(0);

    expect(await db.entitlement.findUniqueOrThrow({ where: { id: ending.id } })).toMatchObject({ status: "EXPIRED", syncStatus: "SYNCED" });
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: kept.id } })).toMatchObject({ status: "ACTIVE", syncStatus: "SYNCED" });
    expect(await probe.principals(expiring.repo)).toEqual([]);
    expect(await probe.principals(lasting.repo)).toEqual([identity.arn]);
    expect(await probe.userExists(identity.userName)).toBe(true);
    expect(await probe.keyIds(identity.userName)).toEqual(keyIds);
    expect(await db.awsIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toMatchObject({
      status: "ACTIVE",
      liveFor: ending.customerId,
    });
  });
});
