import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestCustomerReconcile, requestExpiry } from "@/lib/provisioning/request-reconcile";
import { instant } from "./grant-input";
import { accessEndsAt, grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import { moveExpiry } from "./move-expiry";

export const extendInputSchema = z.object({ expiresAt: instant("expiresAt") }).strict();

/**
 * Moves an entitlement's expiry later. An expired entitlement comes back to life (access is
 * provisioned again); an active or suspended one only gets a new date, and AWS is touched only
 * if that changes whether the customer has access now. Extending to the current date again
 * changes nothing; an earlier date is refused (that is not an extension).
 */
export async function extendEntitlement({ actor, entitlementId, input }: { actor: Actor; entitlementId: string; input: { expiresAt?: string } }) {
  const { expiresAt } = extendInputSchema.parse(input);
  const now = new Date();
  if (expiresAt <= now) throw new AppError("INVALID_INPUT", "The new expiry must be in the future");
  const current = await db.entitlement.findUnique({ where: { id: entitlementId }, include: { product: { select: { gracePeriodDays: true } } } });
  if (!current) throw new AppError("NOT_FOUND", "Entitlement not found");
  if (current.status === "REVOKED") throw new AppError("CONFLICT", "A revoked entitlement cannot be extended; grant a new one");
  if (expiresAt.getTime() === current.expiresAt.getTime()) return { entitlement: current, changed: false as const };
  if (expiresAt < current.expiresAt) {
    throw new AppError("INVALID_INPUT", `The new expiry must be later than the current one (${current.expiresAt.toISOString()})`);
  }

  const revived = current.status === "EXPIRED";
  const status = revived ? "ACTIVE" : current.status;
  const grace = current.product.gracePeriodDays;
  const accessChanges = grantsAccess(current, grace, now) !== grantsAccess({ ...current, status, expiresAt }, grace, now);
  await moveExpiry({
    actor,
    current,
    data: {
      expiresAt,
      status,
      ...(revived ? { endedAt: null, endedReason: null } : {}),
      ...(accessChanges ? { syncStatus: "PENDING", syncError: null } : {}),
    },
    action: "entitlement.extended",
    details: { revived },
  });
  if (accessChanges) await requestCustomerReconcile(current.customerId);
  await requestExpiry(accessEndsAt(expiresAt, grace));
  const entitlement = await db.entitlement.findUniqueOrThrow({ where: { id: entitlementId } });
  return { entitlement, changed: true as const };
}
