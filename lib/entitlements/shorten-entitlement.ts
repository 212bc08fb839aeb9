import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestExpiry } from "@/lib/provisioning/request-reconcile";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { moveExpiry } from "./move-expiry";

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
  await moveExpiry({ actor, current, data: { expiresAt }, action: "entitlement.shortened", details: { reason } });
  await requestExpiry(accessEndsAt(expiresAt, current.product.gracePeriodDays));
  return { changed: true as const };
}
