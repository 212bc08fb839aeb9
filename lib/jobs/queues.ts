import { bulkOperationJob } from "./definitions/bulk-operation";
import { expireEntitlementsJob } from "./definitions/expire-entitlements";
import { reconcileCustomerJob } from "./definitions/reconcile-customer";
import { reconcileRepositoryJob } from "./definitions/reconcile-repository";
import * as scheduled from "./definitions/scheduled";
import { signInLinkJob } from "./definitions/sign-in-link";
import { DEAD_LETTER_QUEUE, type JobDefinition, type QueueOptions } from "./job-definition";

export { DEAD_LETTER_QUEUE };

/** Every job the engine runs, by key; each is defined in its own file under definitions/. */
export const JOBS = {
  reconcileCustomer: reconcileCustomerJob,
  reconcileRepository: reconcileRepositoryJob,
  expireEntitlements: expireEntitlementsJob,
  bulkOperation: bulkOperationJob,
  signInLink: signInLinkJob,
  provisioningSweep: scheduled.provisioningSweepJob,
  driftAudit: scheduled.driftAuditJob,
  bulkResume: scheduled.bulkResumeJob,
  pullIngest: scheduled.pullIngestJob,
  stripeRetry: scheduled.stripeRetryJob,
  lifecycleNotices: scheduled.lifecycleNoticesJob,
  webhookDelivery: scheduled.webhookDeliveryJob,
  apiStateCleanup: scheduled.apiStateCleanupJob,
} satisfies Record<string, JobDefinition>;

export type JobKey = keyof typeof JOBS;

/** The queue of each job, by the same keys. */
export const QUEUES = Object.fromEntries(Object.entries(JOBS).map(([key, job]) => [key, job.name])) as Record<JobKey, string>;

export const BULK_QUEUE = bulkOperationJob.name;

/** Each queue's options, the dead letters' too: created or updated when the engine starts. */
export function queueOptions(): Record<string, QueueOptions> {
  return { [DEAD_LETTER_QUEUE]: { retentionDays: 30 }, ...Object.fromEntries(Object.values(JOBS).map((job) => [job.name, job.options()])) };
}
