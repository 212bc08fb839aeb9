import type PgBoss from "pg-boss";
import { z } from "zod";
import { env } from "@/lib/env";

export type QueueOptions = Omit<PgBoss.Queue, "name">;

/**
 * One job the engine runs: its queue's name, the payload it carries (checked when it runs), its
 * queue's options, what an admin is told it does, and, for a scheduled job, its cron. Jobs only
 * name what to look at: the handler, bound where the worker is wired (lib/worker), reads the
 * desired state when it runs, so a duplicate or late job is harmless. The engine knows no domain.
 */
export type JobDefinition<P extends object = object> = {
  name: string;
  description: string;
  payload: z.ZodType<P>;
  options: () => QueueOptions;
  schedule?: string;
};

export const defineJob = <P extends object>(job: JobDefinition<P>): JobDefinition<P> => job;

export const DEAD_LETTER_QUEUE = "provisioning-dead-letter";

/**
 * Provisioning's retries: backoff from PULLGATE_JOB_RETRY_DELAY_SECONDS (10 s: 10, 20, 40, ...),
 * the default eight spanning about 40 minutes of AWS trouble before the job lands in the
 * dead-letter queue, where an admin sees it and can retry it. A job still active after five
 * minutes belongs to a worker that died; it is retried.
 */
export function provisioningRetries(): QueueOptions {
  const { PULLGATE_JOB_RETRY_LIMIT: retryLimit, PULLGATE_JOB_RETRY_DELAY_SECONDS: retryDelay } = env();
  return { retryLimit, retryDelay, retryBackoff: true, expireInSeconds: 300, deadLetter: DEAD_LETTER_QUEUE };
}

/**
 * A job the engine starts every minute, one piece of the safety net and housekeeping. "stately":
 * one running and one waiting at most, so two workers never run it at once and a slow run does
 * not pile up the next minutes' runs; nothing is retried, the next minute runs it again.
 */
export const everyMinute = (name: string, description: string) =>
  defineJob({ name, description, payload: z.object({}), options: () => ({ policy: "stately", retryLimit: 0 }), schedule: "* * * * *" });
