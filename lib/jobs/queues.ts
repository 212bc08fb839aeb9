import type PgBoss from "pg-boss";
import { env } from "@/lib/env";

// The job engine's queues. Jobs only name what to look at; the handlers read the desired state
// from the database when they run, so a duplicate or late job is harmless.

export const DEAD_LETTER_QUEUE = "provisioning-dead-letter";

export const QUEUES = {
  reconcileCustomer: "reconcile-customer",
  reconcileRepository: "reconcile-repository",
  expireEntitlements: "expire-entitlements",
  sweep: "sweep",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Bulk actions: each job applies the next chunk of one operation's items, then queues the next. */
export const BULK_QUEUE = "bulk-operation";

/**
 * Backoff from PULLGATE_JOB_RETRY_DELAY_SECONDS (10 s: 10, 20, 40, ...): the default eight retries
 * span about 40 minutes of AWS trouble before a job lands in the dead-letter queue, where an
 * admin sees it and can retry it. A job still active after five minutes belongs to a worker that
 * died; it is retried.
 */
export function queueOptions(): Record<QueueName | typeof DEAD_LETTER_QUEUE | typeof BULK_QUEUE, Omit<PgBoss.Queue, "name">> {
  const { PULLGATE_JOB_RETRY_LIMIT: retryLimit, PULLGATE_JOB_RETRY_DELAY_SECONDS: retryDelay } = env();
  const retried = { retryLimit, retryDelay, retryBackoff: true, expireInSeconds: 300, deadLetter: DEAD_LETTER_QUEUE };
  return {
    [DEAD_LETTER_QUEUE]: { retentionDays: 30 },
    [QUEUES.reconcileCustomer]: retried,
    [QUEUES.reconcileRepository]: retried,
    [QUEUES.expireEntitlements]: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
    [QUEUES.sweep]: { retryLimit: 0 },
    // "short": at most one waiting job per operation (its singleton key), so the chunk's own
    // follow-up and the sweep's resumption never start a second chain. No dead letter: the sweep
    // resumes an operation whose job gave up.
    [BULK_QUEUE]: { policy: "short", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  };
}
