import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { reconcileSoon } from "@/lib/provisioning/reconcile-soon";

/** Puts a failed entitlement back in the queue and reconciles its customer right away. */
export async function retryProvisioning({ actor, entitlementId }: { actor: Actor; entitlementId: string }) {
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  await db.entitlement.update({ where: { id: entitlementId }, data: { syncStatus: "PENDING", syncError: null } });
  await recordAuditEvent(db, { actor, action: "provisioning.retried", customerId: entitlement.customerId, entitlementId });
  return { reconciled: reconcileSoon(entitlement.customerId, actor) };
}
