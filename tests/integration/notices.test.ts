// Expiry and end-of-access emails over a simulated term: the clock is moved forward and the
// sweep's notice pass runs; every notice arrives in the local mail catcher once, in order.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { expiringNotice } from "@/lib/notices/due-lifecycle-events";
import { sendDueNotices } from "@/lib/notices/send-due-notices";
import { addDays } from "@/lib/time/days";
import { closePools } from "../support/close-pools";
import { inbox } from "../support/inbox";
import { unique } from "../support/seed";

afterAll(closePools);

async function customerWithEntitlement(expiresInDays: number, start = new Date()) {
  const product = await db.product.create({
    data: { slug: unique("notice"), name: "Acme Notices", gracePeriodDays: 3, renewalUrl: "https://store.example.com/renew/notices" },
  });
  const customer = await db.customer.create({ data: { name: unique("Noticed"), welcomedAt: start } });
  const owner = `${unique("owner")}@example.com`;
  const member = `${unique("member")}@example.com`;
  await db.user.create({ data: { email: owner, role: "CUSTOMER_OWNER", customerId: customer.id } });
  await db.user.create({ data: { email: member, role: "CUSTOMER_MEMBER", customerId: customer.id } });
  const entitlement = await db.entitlement.create({
    data: { customerId: customer.id, productId: product.id, source: "ADMIN", startsAt: start, expiresAt: addDays(start, expiresInDays), syncStatus: "SYNCED" },
  });
  return { entitlement, owner, member };
}

const subjects = async (to: string) => (await inbox(to)).map((m) => m.subject);

describe("notices", () => {
  it("pick the nearest offset an entitlement has come within", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const offsets = [30, 7, 1];
    expect(expiringNotice(addDays(now, 40), now, offsets)).toBeNull();
    expect(expiringNotice(addDays(now, 30), now, offsets)).toBe("expiring-30");
    expect(expiringNotice(addDays(now, 10), now, offsets)).toBe("expiring-30");
    expect(expiringNotice(addDays(now, 5), now, offsets)).toBe("expiring-7");
    expect(expiringNotice(addDays(now, 0.5), now, offsets)).toBe("expiring-1");
  });

  it("warn at 30, 7 and 1 days, again for a renewed term, and tell of the end, each once", async () => {
    const start = new Date();
    const { entitlement, owner, member } = await customerWithEntitlement(40, start);
    const at = (days: number) => addDays(start, days);

    await sendDueNotices(at(5));
    expect(await subjects(owner)).toEqual([]);
    await sendDueNotices(at(11));
    await sendDueNotices(at(12));
    expect(await subjects(owner)).toEqual(["Your access to Acme Notices expires in 29 days"]);
    const [warning] = await inbox(member);
    expect(warning!.text).toContain("A 3-day grace period keeps your access until");
    expect(warning!.text).toContain("Renew: https://store.example.com/renew/notices");
    expect(warning!.html).toContain('<a href="https://store.example.com/renew/notices">Renew Acme Notices</a>');

    await sendDueNotices(at(34));
    await sendDueNotices(at(39.5));
    await sendDueNotices(at(39.6));
    expect(await subjects(owner)).toEqual([
      "Your access to Acme Notices expires in 29 days",
      "Your access to Acme Notices expires in 6 days",
      "Your access to Acme Notices expires tomorrow",
    ]);

    // Renewed for another 30 days: the new term is warned about afresh.
    await db.entitlement.update({ where: { id: entitlement.id }, data: { expiresAt: at(70) } });
    await sendDueNotices(at(40));
    expect((await subjects(owner)).at(-1)).toBe("Your access to Acme Notices expires in 30 days");

    // The end: expired (by the revocation job), told once however often the sweep runs.
    await db.entitlement.update({ where: { id: entitlement.id }, data: { status: "EXPIRED", endedAt: new Date(), endedReason: "expired" } });
    await sendDueNotices(new Date());
    await sendDueNotices(new Date());
    expect((await subjects(owner)).filter((s) => s.includes("has ended"))).toEqual(["Your access to Acme Notices has ended"]);
    expect(await db.entitlementNotice.count({ where: { entitlementId: entitlement.id, sentAt: null } })).toBe(0);
    // Five to the customer, and the vendor heard of the expiry.
    expect(await db.auditEvent.count({ where: { entitlementId: entitlement.id, action: "notice.sent" } })).toBe(6);
  });

  it("tell the vendor's owners and admins of failed provisioning and of expiries, once each", async () => {
    const vendorAdmin = `${unique("vendor-admin")}@vendor.example`;
    const viewer = `${unique("vendor-viewer")}@vendor.example`;
    await db.user.create({ data: { email: vendorAdmin, role: "VENDOR_ADMIN" } });
    await db.user.create({ data: { email: viewer, role: "VENDOR_VIEWER" } });
    const failing = await customerWithEntitlement(100);
    await db.entitlement.update({ where: { id: failing.entitlement.id }, data: { syncStatus: "FAILED", syncError: "AccessDenied: iam:CreateUser" } });
    const expiring = await customerWithEntitlement(100);
    await db.entitlement.update({ where: { id: expiring.entitlement.id }, data: { status: "EXPIRED", endedAt: new Date(), endedReason: "expired" } });
    await sendDueNotices();
    await sendDueNotices();

    const mails = (await inbox(vendorAdmin)).filter((m) => m.text.includes(failing.entitlement.id) || m.text.includes(expiring.entitlement.id));
    expect(mails.map((m) => m.subject.split(":")[0])).toEqual(["Provisioning failed", "Expired"]);
    expect(mails[0]!.text).toContain("AccessDenied: iam:CreateUser");
    expect(mails[0]!.text).toContain(`/admin/entitlements/${failing.entitlement.id}`);
    // Read-only viewers and the customers' users get none of these.
    expect(await inbox(viewer)).toEqual([]);
    expect((await subjects(failing.owner)).filter((s) => s.startsWith("Provisioning failed"))).toEqual([]);
  });

  it("tell of a revocation without a renewal link, and send concurrent sweeps' notices once", async () => {
    const { entitlement, owner } = await customerWithEntitlement(100);
    await db.entitlement.update({ where: { id: entitlement.id }, data: { status: "REVOKED", endedAt: new Date(), endedReason: "contract ended" } });
    await Promise.all([sendDueNotices(), sendDueNotices(), sendDueNotices()]);
    const mails = await inbox(owner);
    expect(mails.map((m) => m.subject)).toEqual(["Your access to Acme Notices was revoked"]);
    expect(mails[0]!.text).not.toContain("Renew");
  });

  it("retry a notice whose send never finished, and drop one the term has moved past", async () => {
    const { entitlement, owner } = await customerWithEntitlement(20);
    const longAgo = new Date(Date.now() - 20 * 60_000);
    // A worker died after claiming the 30-day warning; another claimed a warning for an older term.
    await db.entitlementNotice.create({ data: { entitlementId: entitlement.id, kind: "expiring-30", expiresAt: entitlement.expiresAt, claimedAt: longAgo } });
    const outdated = await db.entitlementNotice.create({
      data: { entitlementId: entitlement.id, kind: "expiring-7", expiresAt: addDays(entitlement.expiresAt, -30), claimedAt: longAgo },
    });
    await sendDueNotices();
    expect(await subjects(owner)).toEqual(["Your access to Acme Notices expires in 20 days"]);
    expect(await db.entitlementNotice.findUnique({ where: { id: outdated.id } })).toBeNull();
    expect(await db.entitlementNotice.count({ where: { entitlementId: entitlement.id, sentAt: null } })).toBe(0);
  });

  it("do not email ends that are history", async () => {
    const { entitlement, owner } = await customerWithEntitlement(10);
    await db.entitlement.update({ where: { id: entitlement.id }, data: { status: "EXPIRED", endedAt: addDays(new Date(), -30) } });
    await sendDueNotices();
    expect(await subjects(owner)).toEqual([]);
  });

  it("tell every event of a wave larger than one pass, over successive passes", async () => {
    const product = await db.product.create({ data: { slug: unique("wave"), name: "Acme Wave" } });
    const customer = await db.customer.create({ data: { name: unique("Wave") } });
    const now = new Date();
    await db.entitlement.createMany({
      data: Array.from({ length: 1100 }, () => ({
        customerId: customer.id,
        productId: product.id,
        source: "API" as const,
        startsAt: addDays(now, -1),
        expiresAt: addDays(now, 100),
        syncStatus: "SYNCED" as const,
        syncedAt: now,
      })),
    });
    const told = () => db.webhookEvent.count({ where: { type: "entitlement.ready", entitlement: { customerId: customer.id } } });
    // A pass tells at most two pages' worth, so this takes more than one.
    await sendDueNotices(now);
    expect(await told()).toBeLessThan(1100);
    await sendDueNotices(now);
    await sendDueNotices(now);
    expect(await told()).toBe(1100);
    // Ended long ago, so no other file's sweep (some run at a simulated later date) finds the wave.
    await db.entitlement.updateMany({ where: { customerId: customer.id }, data: { status: "REVOKED", endedAt: addDays(now, -30) } });
  });
});
