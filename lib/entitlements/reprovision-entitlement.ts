import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { convergeNowOrQueue } from "@/lib/provisioning/converge-or-queue";

/**
 * Converges the customer again now, checking its user, login policy, keys and inline policy in
 * AWS even where the database says they are done: the admin's answer to a failure or to access
 * that AWS lost behind Pullgate's back, one entitlement at a time or in bulk. On failure the job
 * engine keeps retrying with backoff.
 */
export async function reprovisionEntitlement({ actor, entitlementId }: { actor: Actor; entitlementId: string }) {
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId }, select: { customerId: true } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  const { customerId } = entitlement;
  await db.entitlement.update({ where: { id: entitlementId }, data: { syncStatus: "PENDING", syncError: null } });
  await recordAuditEvent(db, { actor, action: "provisioning.requested", customerId, entitlementId });
  const result = await convergeNowOrQueue(customerId, actor, { recheckIdentity: true });
  return result.ok ? { converged: true as const } : { converged: false as const, error: result.error };
}
