import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";

/**
 * Retires the customer's current key and issues a new one through the reconciler (which deletes
 * retiring keys before creating, so the user never holds more than AWS's two keys).
 */
export async function replaceAccessKey({ actor, customerId }: { actor: Actor; customerId: string }) {
  const retired = await db.accessKey.updateMany({
    where: { status: "ACTIVE", identity: { customerId, status: "ACTIVE" } },
    data: { status: "RETIRING" },
  });
  if (retired.count === 0) throw new AppError("NOT_FOUND", "There is no active access key to replace");
  // Pending, so that if AWS fails now the worker keeps retrying until the new key exists.
  await db.entitlement.updateMany({ where: { customerId, status: "ACTIVE" }, data: { syncStatus: "PENDING" } });
  await recordAuditEvent(db, { actor, action: "access_key.replacement_requested", customerId });
  const result = await reconcileCustomer(customerId, actor);
  if (!result.ok) throw new AppError("AWS_ERROR", "The new key could not be issued yet; it will be retried automatically");
}
