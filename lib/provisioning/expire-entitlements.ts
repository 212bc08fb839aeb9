import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import type { EntitlementStatus } from "@/lib/generated/prisma/enums";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { convergeCustomer } from "./converge-customer";

const actor = systemActor("revocation job");
const BATCH = 500;
// A suspended entitlement expires like an active one: its kept IAM user goes with it.
const ENDING: EntitlementStatus[] = ["ACTIVE", "SUSPENDED"];

export type RevokeExpiredSummary = { expired: number; revoked: number; failed: number; errors: string[] };

/**
 * Marks every active or suspended entitlement whose access has ended (expiry plus the product's grace period)
 * as expired and returns the customers to reconcile, together with those of entitlements an
 * earlier pass expired but AWS has not caught up with. Each entitlement is claimed atomically,
 * so concurrent passes never expire one twice.
 */
export async function expireDueEntitlements(now: Date): Promise<{ expired: number; customers: string[] }> {
  let expired = 0;
  const customers = new Set<string>();
  for (let cursor: string | undefined; ; ) {
    const candidates = await db.entitlement.findMany({
      where: { status: { in: ENDING }, expiresAt: { lte: now }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, customerId: true, expiresAt: true, product: { select: { gracePeriodDays: true } } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (candidates.length === 0) break;
    cursor = candidates.at(-1)!.id;
    for (const e of candidates) {
      if (accessEndsAt(e.expiresAt, e.product.gracePeriodDays) > now) continue;
      const claimed = await db.entitlement.updateMany({
        where: { id: e.id, status: { in: ENDING } },
        data: { status: "EXPIRED", endedAt: now, endedReason: "expired", syncStatus: "PENDING", syncError: null },
      });
      if (claimed.count === 0) continue;
      expired++;
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
  return { expired, customers: [...customers] };
}

/**
 * One pass in this process, waiting for AWS (`npm run job:revoke-expired`): expires what is due
 * and converges each affected customer, which takes the principal out of the repository
 * policies and, with nothing left, deletes the user.
 */
export async function revokeExpired(now = new Date()): Promise<RevokeExpiredSummary> {
  const { expired, customers } = await expireDueEntitlements(now);
  const summary: RevokeExpiredSummary = { expired, revoked: 0, failed: 0, errors: [] };
  for (const customerId of customers) {
    const result = await convergeCustomer(customerId, actor);
    if (result.ok) summary.revoked++;
    else {
      summary.failed++;
      summary.errors.push(`${customerId}: ${result.error}`);
    }
  }
  return summary;
}
