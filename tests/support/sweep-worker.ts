// From a separate process, what the job engine's retries end up doing: revoke what has expired and
// converge every customer whose provisioning is not yet in sync:   tsx tests/support/sweep-worker.ts '{}'
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { revokeExpired } from "@/lib/provisioning/expire-entitlements";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { workerMain } from "./worker-main";

export type SweepWorkerResult = { ok: boolean; reconciled: number; failed: number };

const actor = systemActor(`sweep-worker ${process.pid}`);

workerMain<Record<string, never>, SweepWorkerResult>(async () => {
  const revoked = await revokeExpired();
  const unsynced = await db.entitlement.findMany({ where: { syncStatus: { not: "SYNCED" } }, select: { customerId: true }, distinct: ["customerId"] });
  let failed = revoked.failed;
  for (const { customerId } of unsynced) if (!(await convergeCustomer(customerId, actor)).ok) failed++;
  return { ok: failed === 0, reconciled: revoked.revoked + unsynced.length, failed };
});
