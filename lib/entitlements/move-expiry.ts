import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Entitlement, Prisma } from "@/lib/generated/prisma/client";

type Move = {
  actor: Actor;
  /** The entitlement as read: the move applies only if it is still so. */
  current: Pick<Entitlement, "id" | "customerId" | "status" | "expiresAt">;
  data: Prisma.EntitlementUpdateManyMutationInput & { expiresAt: Date };
  action: "entitlement.extended" | "entitlement.shortened";
  details: Record<string, string | boolean | null>;
};

/**
 * Moves an entitlement's expiry, conditional on what was read: a concurrent change (the expiry
 * job, another admin, a Stripe event) wins and this one is refused. Recorded with both dates.
 */
export async function moveExpiry({ actor, current, data, action, details }: Move) {
  const claimed = await db.entitlement.updateMany({ where: { id: current.id, status: current.status, expiresAt: current.expiresAt }, data });
  if (claimed.count === 0) throw new AppError("CONFLICT", "The entitlement changed meanwhile; reload and try again");
  await recordAuditEvent(db, {
    actor,
    action,
    customerId: current.customerId,
    entitlementId: current.id,
    data: { from: current.expiresAt.toISOString(), to: data.expiresAt.toISOString(), ...details },
  });
}
