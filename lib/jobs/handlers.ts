import { ingestPulls } from "@/lib/activity/ingest-pulls";
import { sendDueNotices } from "@/lib/notices/send-due-notices";
import { retryStripeEvents } from "@/lib/stripe/apply-stripe-event";
import { deleteExpiredIdempotencyKeys } from "@/lib/api/idempotency";
import { deletePastRateWindows } from "@/lib/api/rate-limit";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { systemActor } from "@/lib/audit/actor";
import { enqueueBulkOperation, processBulkChunk, resumeBulkOperations } from "@/lib/bulk/process-bulk-operation";
import { policyWriteDue } from "@/lib/provisioning/batch-window";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";
import { reconcileRepository } from "@/lib/provisioning/reconcile-repository";
import { auditDriftIfDue } from "./audit-drift";
import { log } from "@/lib/log";
import { enqueueCustomerReconcile, enqueueRepositoryReconcile } from "./enqueue";
import { expireDueEntitlements } from "./revoke-expired";
import { findDueKeyRetirements, findStalePending } from "./reconcile-pending";

const actor = systemActor("provisioning worker");

/** A failure throws, so the engine retries the job with backoff and dead-letters it at the end. */
export async function handleCustomerJob(customerId: string) {
  const result = await reconcileCustomer(customerId, actor);
  if (!result.ok) throw new Error(result.error);
  for (const repositoryId of result.waitingOn) await enqueueRepositoryReconcile(repositoryId);
  return { waitingOn: result.waitingOn };
}

export async function handleRepositoryJob(repositoryId: string) {
  const due = await policyWriteDue(repositoryId, new Date());
  if (due) {
    await enqueueRepositoryReconcile(repositoryId, due);
    return { heldUntil: due.toISOString() };
  }
  const { customers } = await reconcileRepository(repositoryId, actor);
  for (const customerId of customers) await enqueueCustomerReconcile(customerId);
  return { customers: customers.length };
}

export async function handleExpiryJob() {
  const { expired, customers } = await expireDueEntitlements(new Date());
  for (const customerId of customers) await enqueueCustomerReconcile(customerId);
  return { expired, customers: customers.length };
}

/** One chunk of a bulk action, then the next chunk's job while items are left. */
export async function handleBulkJob(operationId: string) {
  const { remaining } = await processBulkChunk(operationId);
  if (remaining > 0) await enqueueBulkOperation(operationId);
  return { remaining };
}

/**
 * The minute sweep, a safety net for anything a lost job would leave behind: expiries (should a
 * timed expiry job be missing), work left pending by a process that died before enqueueing, keys
 * whose rotation overlap has ended, bulk actions whose job was lost, and the drift audit when it is due.
 * It also reads new CloudTrail log files for the customers' pull history (a failure there is
 * logged and retried next minute without holding up the rest), retries Stripe events that could
 * not be applied yet, tells the lifecycle events that are due (emails and webhook events), and
 * sends the webhook deliveries that are due.
 */
export async function handleSweepJob() {
  const expiry = await handleExpiryJob();
  const now = new Date();
  const stale = [...new Set([...(await findStalePending(now)), ...(await findDueKeyRetirements(now))])];
  for (const customerId of stale) await enqueueCustomerReconcile(customerId);
  const bulkActions = await resumeBulkOperations();
  const drift = await auditDriftIfDue();
  const pulls = await ingestPulls().catch((error: unknown) => {
    log().error({ err: error }, "reading CloudTrail logs failed");
    return null;
  });
  const stripe = await retryStripeEvents();
  const notices = await sendDueNotices();
  const api = { idempotencyKeys: await deleteExpiredIdempotencyKeys(now), rateWindows: await deletePastRateWindows(now) };
  const webhooks = await deliverDueWebhooks();
  return {
    ...expiry,
    requeued: stale.length,
    bulkActions,
    driftAudit: drift ? { findings: drift.findings.length, repaired: drift.repaired } : null,
    pulls,
    stripe,
    notices,
    webhooks,
    expiredApiState: api,
  };
}
