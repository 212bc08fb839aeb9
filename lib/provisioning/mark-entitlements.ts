import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";

/** An entitlement as read before the work began: `updatedAt` tells whether it changed since. */
export type ReadEntitlement = { id: string; customerId: string; updatedAt: Date };

/** Entitlements changed while we worked keep their state; their own reconcile follows. */
export async function markSynced(entitlements: ReadEntitlement[]) {
  for (const e of entitlements) {
    await db.entitlement.updateMany({
      where: { id: e.id, updatedAt: e.updatedAt },
      data: { syncStatus: "SYNCED", syncedAt: new Date(), syncError: null },
    });
  }
}

/** The failure shows on each entitlement it holds up, and in the audit log; the job engine retries. */
export async function markFailed(entitlements: ReadEntitlement[], message: string, actor: Actor) {
  for (const e of entitlements) {
    await db.entitlement.updateMany({
      where: { id: e.id, updatedAt: e.updatedAt },
      data: { syncStatus: "FAILED", syncError: message, syncAttempts: { increment: 1 } },
    });
    await recordAuditEvent(db, { actor, action: "provisioning.failed", customerId: e.customerId, entitlementId: e.id, data: { error: message } });
  }
}
