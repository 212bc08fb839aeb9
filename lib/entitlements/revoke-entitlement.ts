import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestCustomerReconcile } from "@/lib/jobs/enqueue";

/** Ends an entitlement now. Revoking a revoked entitlement changes nothing. */
export async function revokeEntitlement({ actor, entitlementId, reason }: { actor: Actor; entitlementId: string; reason?: string }) {
  const now = new Date();
  const changed = await db.entitlement.updateMany({
    where: { id: entitlementId, status: { in: ["ACTIVE", "SUSPENDED"] } },
    data: { status: "REVOKED", endedAt: now, endedReason: reason ?? "revoked", syncStatus: "PENDING", syncError: null },
  });
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  if (changed.count === 0) return { entitlement, changed: false as const };

  await recordAuditEvent(db, {
    actor,
    action: "entitlement.revoked",
    customerId: entitlement.customerId,
    entitlementId,
    data: { reason: reason ?? null },
  });
  await requestCustomerReconcile(entitlement.customerId);
  return { entitlement, changed: true as const };
}
