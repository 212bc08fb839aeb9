// One pass of the worker's provisioning retry from a separate process, as if that much time had
// passed that every backoff has elapsed:   tsx tests/support/sweep-worker.ts '{}'
import { reconcilePending } from "@/lib/jobs/reconcile-pending";
import { revokeExpired } from "@/lib/jobs/revoke-expired";
import { workerMain } from "./worker-main";

export type SweepWorkerResult = { ok: boolean; reconciled: number; failed: number };

workerMain<Record<string, never>, SweepWorkerResult>(async () => {
  const later = new Date(Date.now() + 2 * 3_600_000);
  const revoked = await revokeExpired();
  const pending = await reconcilePending(later);
  return { ok: revoked.failed === 0 && pending.failed === 0, reconciled: pending.reconciled + revoked.revoked, failed: pending.failed + revoked.failed };
});
