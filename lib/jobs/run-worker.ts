import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { reconcilePending } from "./reconcile-pending";
import { auditDrift } from "./audit-drift";
import { revokeExpired } from "./revoke-expired";

/**
 * The long-running worker: every WORKER_INTERVAL_SECONDS it revokes what has expired and finishes
 * or retries provisioning left pending or failed; every DRIFT_AUDIT_MINUTES it audits AWS for drift. Returns a stop function that waits for the
 * pass in progress.
 */
export function runWorker() {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastDriftAudit = 0;

  const pass = async () => {
    try {
      const revoked = await revokeExpired();
      const pending = await reconcilePending();
      if (revoked.expired || revoked.failed || pending.reconciled || pending.failed) {
        log().info({ expired: revoked.expired, revocationsFailed: revoked.failed, ...pending }, "worker pass");
      }
      if (Date.now() - lastDriftAudit >= env().DRIFT_AUDIT_MINUTES * 60_000) {
        lastDriftAudit = Date.now();
        const drift = await auditDrift();
        log().info({ findings: drift.findings.length, repaired: drift.repaired }, "drift audit");
      }
    } catch (error) {
      log().error({ err: error }, "worker pass failed");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = pass().finally(schedule);
    }, env().WORKER_INTERVAL_SECONDS * 1000);
  };
  current = pass().finally(schedule);

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
