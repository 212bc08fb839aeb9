import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { enqueueCustomerReconcile } from "@/lib/jobs/enqueue";

/** Puts a failed entitlement back in the queue; its customer is reconciled by the next free worker. */
export async function retryProvisioning({ actor, entitlementId }: { actor: Actor; entitlementId: string }) {
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  await db.entitlement.update({ where: { id: entitlementId }, data: { syncStatus: "PENDING", syncError: null } });
  await recordAuditEvent(db, { actor, action: "provisioning.retried", customerId: entitlement.customerId, entitlementId });
  await enqueueCustomerReconcile(entitlement.customerId);
}
