import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestExpiry } from "@/lib/jobs/enqueue";
import { accessEndsAt } from "./lifecycle";

/**
 * Brings a running entitlement's expiry forward, e.g. to the end of the period a cancelled
 * subscription paid for. Access then ends the usual way: the expiry job revokes it once the
 * new date (plus the grace period) has passed, which may be at once. A later date, or an
 * entitlement that has already ended, changes nothing.
 */
export async function shortenEntitlement({ actor, entitlementId, expiresAt, reason }: { actor: Actor; entitlementId: string; expiresAt: Date; reason: string }) {
  const current = await db.entitlement.findUnique({ where: { id: entitlementId }, include: { product: { select: { gracePeriodDays: true } } } });
  if (!current) throw new AppError("NOT_FOUND", "Entitlement not found");
  if ((current.status !== "ACTIVE" && current.status !== "SUSPENDED") || expiresAt >= current.expiresAt) return { changed: false as const };
  const claimed = await db.entitlement.updateMany({
    where: { id: entitlementId, status: current.status, expiresAt: current.expiresAt },
    data: { expiresAt },
  });
  if (claimed.count === 0) throw new AppError("CONFLICT", "The entitlement changed meanwhile; try again");
  await recordAuditEvent(db, {
    actor,
    action: "entitlement.shortened",
    customerId: current.customerId,
    entitlementId,
    data: { from: current.expiresAt.toISOString(), to: expiresAt.toISOString(), reason },
  });
  const end = accessEndsAt(expiresAt, current.product.gracePeriodDays);
  await requestExpiry(end > new Date() ? end : new Date());
  return { changed: true as const };
}
