import { everyMinute } from "../job-definition";

// The minute's safety net and housekeeping, one job each: a failure or a slow run of one holds up
// none of the others.

export const provisioningSweepJob = everyMinute(
  "provisioning-sweep",
  "Catches missed expiries and re-queues provisioning that stalled or whose key overlap has ended.",
);
export const driftAuditJob = everyMinute("drift-audit", "Compares AWS with the database when an audit is due (DRIFT_AUDIT_MINUTES) and repairs drift.");
export const bulkResumeJob = everyMinute("bulk-resume", "Resumes bulk actions whose job was lost.");
export const pullIngestJob = everyMinute("pull-ingest", "Reads new CloudTrail log files for the customers' pull history.");
export const stripeRetryJob = everyMinute("stripe-retry", "Applies Stripe events that could not be applied yet, with backoff.");
export const lifecycleNoticesJob = everyMinute("lifecycle-notices", "Sends the lifecycle emails that are due and records their webhook events.");
export const webhookDeliveryJob = everyMinute("webhook-delivery", "Delivers the webhook events that are due to the vendor's endpoints.");
export const apiStateCleanupJob = everyMinute("api-state-cleanup", "Deletes expired API idempotency keys and past rate-limit windows (API and sign-in).");
