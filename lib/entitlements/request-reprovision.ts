import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestCustomerReconcile } from "@/lib/jobs/enqueue";

type Request = { actor: Actor; entitlementId: string };

/** Marks the entitlement for provisioning again and records who asked; returns its customer. */
export async function markForReprovision({ actor, entitlementId }: Request): Promise<string> {
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId }, select: { customerId: true } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  await db.entitlement.update({ where: { id: entitlementId }, data: { syncStatus: "PENDING", syncError: null } });
  await recordAuditEvent(db, { actor, action: "provisioning.requested", customerId: entitlement.customerId, entitlementId });
  return entitlement.customerId;
}

/**
 * Re-provisioning left to the job engine, for bulk actions: a long list does not wait on AWS
 * entitlement by entitlement, and the engine's workers share the reconciles (one per customer).
 */
export async function requestReprovision(request: Request) {
  await requestCustomerReconcile(await markForReprovision(request));
}
