import type { Actor } from "@/lib/audit/actor";
import { convergeCustomer, type ConvergeResult } from "./converge-customer";
import type { ReconcileOptions } from "./reconcile-customer";
import { requestCustomerReconcile } from "./request-reconcile";

/**
 * For a person waiting on a page: converge the customer now so the page shows the outcome, and
 * if AWS fails, leave the work to the job engine, which retries with backoff (the entitlements
 * were marked pending by the caller, so the minute sweep covers a lost job too).
 */
export async function convergeNowOrQueue(customerId: string, actor: Actor, options: ReconcileOptions = {}): Promise<ConvergeResult> {
  const result = await convergeCustomer(customerId, actor, options);
  if (!result.ok) await requestCustomerReconcile(customerId);
  return result;
}
