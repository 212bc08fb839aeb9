import type PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { jobEngine, stopJobEngine } from "@/lib/jobs/boss";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { JOBS, type JobKey } from "@/lib/jobs/queues";
import { log } from "@/lib/log";
import { HANDLERS } from "./handlers";

// The single minute sweep these jobs replace; its schedule would keep sending to a queue no one works.
const RETIRED_SCHEDULES = ["sweep"];

/** Pollers per process: customers run side by side; one chunk of a bulk action at a time (it holds a lock connection). */
function concurrency(key: JobKey) {
  if (key === "reconcileCustomer") return env().PULLGATE_WORKER_CONCURRENCY;
  return key === "reconcileRepository" ? 2 : 1;
}

/**
 * Registers `count` pollers: each takes one job at a time, so a failure retries only its job. A
 * payload its definition does not accept fails the job (and so lands in the dead letters).
 */
async function work(boss: PgBoss, job: JobDefinition, count: number, handler: (payload: Record<string, string>) => Promise<unknown>) {
  for (let i = 0; i < count; i++) {
    await boss.work<object>(job.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([taken]) => {
      if (!taken) return;
      return handler(job.payload.parse(taken.data) as Record<string, string>);
    });
  }
}

/**
 * Starts this process's share of the job engine: any number of worker processes may run side by
 * side; PostgreSQL hands each job to one of them and the advisory locks keep one reconcile per
 * customer and per repository at a time. Returns a stop function that lets running jobs finish.
 */
export async function runWorker() {
  const boss = await jobEngine({ maintenance: true });
  for (const name of RETIRED_SCHEDULES) await boss.unschedule(name);
  for (const [key, job] of Object.entries(JOBS) as [JobKey, (typeof JOBS)[JobKey]][]) {
    await work(boss, job, concurrency(key), HANDLERS[key]);
    if (job.schedule) await boss.schedule(job.name, job.schedule, {});
  }
  log().info({ concurrency: env().PULLGATE_WORKER_CONCURRENCY }, "worker started");
  return () => stopJobEngine();
}
