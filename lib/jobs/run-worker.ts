import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { reconcilePending } from "./reconcile-pending";
import { revokeExpired } from "./revoke-expired";

/**
 * The long-running worker: every WORKER_INTERVAL_SECONDS it revokes what has expired and finishes
 * or retries provisioning left pending or failed. Returns a stop function that waits for the
 * pass in progress.
 */
export function runWorker() {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      const revoked = await revokeExpired();
      const pending = await reconcilePending();
      if (revoked.expired || revoked.failed || pending.reconciled || pending.failed) {
        log().info({ expired: revoked.expired, revocationsFailed: revoked.failed, ...pending }, "worker pass");
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
