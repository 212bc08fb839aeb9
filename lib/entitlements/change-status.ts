import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EntitlementStatus } from "@/lib/generated/prisma/enums";
import { requestCustomerReconcile } from "@/lib/provisioning/request-reconcile";

type StatusChange = {
  actor: Actor;
  entitlementId: string;
  /** The change applies only from these statuses; from any other it changes nothing. */
  from: EntitlementStatus[];
  data: Prisma.EntitlementUpdateManyMutationInput;
  action: string;
  auditData?: Prisma.InputJsonValue;
};

/**
 * A change of desired state that moves AWS: claimed with a conditional update (so two admins,
 * or an admin and the expiry job, never both apply it), recorded, then handed to the reconciler.
 * Repeating it changes nothing and says so.
 */
export async function changeEntitlementStatus({ actor, entitlementId, from, data, action, auditData }: StatusChange) {
  const claimed = await db.entitlement.updateMany({
    where: { id: entitlementId, status: { in: from } },
    data: { ...data, syncStatus: "PENDING", syncError: null },
  });
  const entitlement = await db.entitlement.findUnique({ where: { id: entitlementId } });
  if (!entitlement) throw new AppError("NOT_FOUND", "Entitlement not found");
  if (claimed.count === 0) return { entitlement, changed: false as const };

  await recordAuditEvent(db, { actor, action, customerId: entitlement.customerId, entitlementId, data: auditData });
  await requestCustomerReconcile(entitlement.customerId);
  return { entitlement, changed: true as const };
}
