import { systemActor } from "@/lib/audit/actor";
import { enqueueCustomerReconcile, enqueueRepositoryReconcile } from "@/lib/jobs/enqueue";
import { policyWriteDue } from "./batch-window";
import { pruneBrokerDenies } from "./broker-denies";
import { expireDueEntitlements } from "./expire-entitlements";
import { findDueKeyRetirements, findStalePending, findRepositoriesToSettle } from "./reconcile-pending";
import { reconcileCustomer } from "./reconcile-customer";
import { reconcileRepository } from "./reconcile-repository";

// The reconcile loop as the job engine drives it: each step does its part, then queues the next
// (customer -> repositories -> customer), until nothing waits. A failure throws, so the engine
// retries the job with backoff and dead-letters it at the end.

const actor = systemActor("provisioning worker");

/** One customer's half; `converged` once nothing waits on a repository policy. */
export async function driveCustomer(customerId: string) {
  const result = await reconcileCustomer(customerId, actor);
  if (!result.ok) throw new Error(result.error);
  for (const repositoryId of result.waitingOn) await enqueueRepositoryReconcile(repositoryId);
  return { waitingOn: result.waitingOn, converged: result.waitingOn.length === 0 };
}

/** One repository's policy write, held while the batch window says more principals are on the way. */
export async function driveRepository(repositoryId: string) {
  const due = await policyWriteDue(repositoryId, new Date());
  if (due) {
    await enqueueRepositoryReconcile(repositoryId, due);
    return { heldUntil: due.toISOString() };
  }
  const { customers, refused } = await reconcileRepository(repositoryId, actor);
  for (const customerId of customers) await enqueueCustomerReconcile(customerId);
  // Everyone else's change has landed; failing now makes the engine retry the refused ones with
  // backoff, and dead-letter them in the end where the Engine page shows them.
  if (refused.length) throw new Error(`AWS refused ${refused.map((r) => `${r.principal} (${r.reason})`).join(", ")}`);
  return { customers: customers.length };
}

/** Expires what is due and queues each affected customer's reconcile. */
export async function driveExpiry() {
  const { expired, customers } = await expireDueEntitlements(new Date());
  for (const customerId of customers) await enqueueCustomerReconcile(customerId);
  return { expired, customers: customers.length };
}

/**
 * The minute's safety net for what a lost job would leave behind: expiries (should a timed expiry
 * job be missing), work left pending by a process that died before enqueueing, keys whose
 * rotation overlap has ended, identity-policy repositories still without their product tag
 * (those switched before tags existed, or whose tag was found missing), other accounts'
 * repositories whose trust of Pullgate's principals is not yet as this release names them, and
 * broker denies whose customers' last sessions have expired.
 */
export async function sweepProvisioning() {
  const expiry = await driveExpiry();
  const now = new Date();
  const stale = [...new Set([...(await findStalePending(now)), ...(await findDueKeyRetirements(now))])];
  for (const customerId of stale) await enqueueCustomerReconcile(customerId);
  const unsettled = await findRepositoriesToSettle();
  for (const repositoryId of unsettled) await enqueueRepositoryReconcile(repositoryId);
  const brokerDenies = await pruneBrokerDenies(actor, now);
  return { ...expiry, requeued: stale.length, unsettled: unsettled.length, brokerDenies };
}
