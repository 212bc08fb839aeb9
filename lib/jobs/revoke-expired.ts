import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { accessEndsAt } from "@/lib/entitlements/lifecycle";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";

const actor = systemActor("revocation job");
const BATCH = 500;

export type RevokeExpiredSummary = { expired: number; revoked: number; failed: number; errors: string[] };

/**
 * One pass: every active entitlement whose access has ended (expiry plus the product's grace
 * period) is marked expired, and its customer reconciled, which takes the principal out of the
 * repository policies and, with nothing left, deletes the user. Each entitlement is claimed
 * atomically, so concurrent passes never expire one twice; entitlements expired by an earlier
 * pass that died before AWS caught up are finished here too.
 */
export async function revokeExpired(now = new Date()): Promise<RevokeExpiredSummary> {
  const summary: RevokeExpiredSummary = { expired: 0, revoked: 0, failed: 0, errors: [] };
  const customers = new Set<string>();

  for (let cursor: string | undefined; ; ) {
    const candidates = await db.entitlement.findMany({
      where: { status: "ACTIVE", expiresAt: { lte: now }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, customerId: true, expiresAt: true, product: { select: { gracePeriodDays: true } } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (candidates.length === 0) break;
    cursor = candidates.at(-1)!.id;
    for (const e of candidates) {
      if (accessEndsAt(e.expiresAt, e.product.gracePeriodDays) > now) continue;
      const claimed = await db.entitlement.updateMany({
        where: { id: e.id, status: "ACTIVE" },
        data: { status: "EXPIRED", endedAt: now, endedReason: "expired", syncStatus: "PENDING", syncError: null },
      });
      if (claimed.count === 0) continue;
      summary.expired++;
      customers.add(e.customerId);
      await recordAuditEvent(db, {
        actor,
        action: "entitlement.expired",
        customerId: e.customerId,
        entitlementId: e.id,
        data: { expiresAt: e.expiresAt.toISOString() },
      });
    }
  }

  const unfinished = await db.entitlement.findMany({
    where: { status: { in: ["EXPIRED", "REVOKED"] }, syncStatus: { not: "SYNCED" } },
    select: { customerId: true },
    distinct: ["customerId"],
  });
  for (const { customerId } of unfinished) customers.add(customerId);

  for (const customerId of customers) {
    const result = await reconcileCustomer(customerId, actor);
    if (result.ok) summary.revoked++;
    else {
      summary.failed++;
      summary.errors.push(`${customerId}: ${result.error}`);
    }
  }
  return summary;
}
