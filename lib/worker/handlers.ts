import { ingestPulls } from "@/lib/activity/ingest-pulls";
import { deleteExpiredIdempotencyKeys } from "@/lib/api/idempotency";
import { sendRequestedSignInLink } from "@/lib/auth/send-sign-in-link";
import { retryStripeEvents } from "@/lib/billing/apply-stripe-event";
import { enqueueBulkOperation, processBulkChunk, resumeBulkOperations } from "@/lib/bulk/process-bulk-operation";
import type { JobKey } from "@/lib/jobs/queues";
import { log } from "@/lib/log";
import { sendDueNotices } from "@/lib/notices/send-due-notices";
import { welcomeCustomer } from "@/lib/notices/welcome-customer";
import { runDriftAuditIfDue } from "@/lib/health/run-drift-audit";
import { driveCustomer, driveExpiry, driveRepository, sweepProvisioning } from "@/lib/provisioning/drive";
import { deletePastWindows } from "@/lib/rate-limit/fixed-window";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";

// The worker's wiring: which use case handles each job the engine runs. The engine (lib/jobs)
// knows no domain and the domains know no worker; this table is where the two meet.

type Payload = Record<string, string>;

/** One chunk of a bulk action, then the next chunk's job while items are left. */
export async function handleBulkJob(operationId: string) {
  const { remaining } = await processBulkChunk(operationId);
  if (remaining > 0) await enqueueBulkOperation(operationId);
  return { remaining };
}

/**
 * Once a customer has converged, its welcome goes at once rather than at the next lifecycle
 * pass; the access is in place whatever happens to the email, so its failure fails nothing here.
 */
async function customerThenWelcome(customerId: string) {
  const result = await driveCustomer(customerId);
  if (result.converged) await welcomeCustomer(customerId).catch((error: unknown) => log().error({ err: error, customerId }, "welcome failed"));
  return result;
}

async function auditDrift() {
  const drift = await runDriftAuditIfDue();
  return drift ? { findings: drift.findings.length, repaired: drift.repaired } : null;
}

async function cleanUpApiState() {
  const now = new Date();
  return {
    idempotencyKeys: await deleteExpiredIdempotencyKeys(now),
    rateWindows: await deletePastWindows(now),
  };
}

export const HANDLERS: Record<JobKey, (payload: Payload) => Promise<unknown>> = {
  reconcileCustomer: ({ customerId }) => customerThenWelcome(customerId!),
  reconcileRepository: ({ repositoryId }) => driveRepository(repositoryId!),
  expireEntitlements: () => driveExpiry(),
  bulkOperation: ({ operationId }) => handleBulkJob(operationId!),
  signInLink: ({ email }) => sendRequestedSignInLink(email!),
  provisioningSweep: () => sweepProvisioning(),
  driftAudit: auditDrift,
  bulkResume: () => resumeBulkOperations(),
  pullIngest: () => ingestPulls(),
  stripeRetry: () => retryStripeEvents(),
  lifecycleNotices: () => sendDueNotices(),
  webhookDelivery: () => deliverDueWebhooks(),
  apiStateCleanup: cleanUpApiState,
};
