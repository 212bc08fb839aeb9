import type { Actor } from "@/lib/audit/actor";
import { reconcileCustomer, type ReconcileResult } from "./reconcile-customer";
import { log } from "@/lib/log";

/**
 * Starts converging AWS for the customer without making the caller wait. The returned promise
 * settles when done (tests and scripts await it); if the process dies first, the worker's sweep
 * picks the pending entitlement up.
 */
export function reconcileSoon(customerId: string, actor: Actor): Promise<ReconcileResult> {
  return reconcileCustomer(customerId, actor).catch((error: unknown) => {
    log().error({ err: error, customerId }, "reconcile could not run");
    return { ok: false as const, error: String(error) };
  });
}
