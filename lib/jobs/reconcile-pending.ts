import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";

const actor = systemActor("provisioning worker");
// A pending entitlement younger than this is still being handled by the request that made it.
const PENDING_GRACE_MS = 15_000;
const MAX_BACKOFF_MS = 3_600_000;

/** Failed attempts wait 30 s, 1 min, 2 min, ... up to an hour before the next try. */
export function retryDelayMs(attempts: number) {
  return Math.min(MAX_BACKOFF_MS, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Finishes provisioning that a dead process left pending and retries failures with backoff. */
export async function reconcilePending(now = new Date()) {
  const rows = await db.entitlement.findMany({
    where: {
      OR: [
        { syncStatus: "PENDING", updatedAt: { lte: new Date(now.getTime() - PENDING_GRACE_MS) } },
        { syncStatus: "FAILED" },
      ],
    },
    select: { customerId: true, syncStatus: true, syncAttempts: true, updatedAt: true },
    take: 1000,
  });
  const due = new Set(
    rows
      .filter((r) => r.syncStatus === "PENDING" || r.updatedAt.getTime() + retryDelayMs(r.syncAttempts) <= now.getTime())
      .map((r) => r.customerId),
  );
  let failed = 0;
  for (const customerId of due) {
    if (!(await reconcileCustomer(customerId, actor)).ok) failed++;
  }
  return { reconciled: due.size - failed, failed };
}
