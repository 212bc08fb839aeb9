import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { reconcileSoon } from "@/lib/provisioning/reconcile-soon";

/** Ends an entitlement now. Revoking a revoked entitlement changes nothing. */
export async function revokeEntitlement({ actor, entitlementId, reason }: { actor: Actor; entitlementId: string; reason?: string }) {
  const now = new Date();
  const changed = await db.entitlement.updateMany({
    where: { id: entitlementId, status: { in: ["ACTIVE", "SUSPENDED"] } },
    data: { status: "REVOKED", endedAt: now, endedReason: reason ?? "revoked", syncStatus: "PENDING", syncError: null },
  });
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  if (changed.count === 0) return { entitlement, changed: false as const, reconciled: Promise.resolve({ ok: true as const }) };

  await recordAuditEvent(db, {
    actor,
    action: "entitlement.revoked",
    customerId: entitlement.customerId,
    entitlementId,
    data: { reason: reason ?? null },
  });
  return { entitlement, changed: true as const, reconciled: reconcileSoon(entitlement.customerId, actor) };
}
