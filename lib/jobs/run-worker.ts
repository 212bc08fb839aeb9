import type PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { jobEngine, stopJobEngine } from "./boss";
import { handleBulkJob, handleCustomerJob, handleExpiryJob, handleRepositoryJob, handleSweepJob } from "./handlers";
import { BULK_QUEUE, QUEUES } from "./queues";

type Handler<T> = (data: T) => Promise<unknown>;

/** Registers `concurrency` pollers: each takes one job at a time, so a failure retries only its job. */
async function work<T extends object>(boss: PgBoss, queue: string, concurrency: number, handler: Handler<T>) {
  for (let i = 0; i < concurrency; i++) {
    await boss.work<T>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (!job) return;
      return handler(job.data);
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
  const concurrency = env().PULLGATE_WORKER_CONCURRENCY;
  await work<{ customerId: string }>(boss, QUEUES.reconcileCustomer, concurrency, ({ customerId }) => handleCustomerJob(customerId));
  await work<{ repositoryId: string }>(boss, QUEUES.reconcileRepository, 2, ({ repositoryId }) => handleRepositoryJob(repositoryId));
  await work(boss, QUEUES.expireEntitlements, 1, handleExpiryJob);
  await work(boss, QUEUES.sweep, 1, handleSweepJob);
  // One chunk at a time per process: a run holds an advisory-lock connection for its whole chunk.
  await work<{ operationId: string }>(boss, BULK_QUEUE, 1, ({ operationId }) => handleBulkJob(operationId));
  await boss.schedule(QUEUES.sweep, "* * * * *");
  log().info({ concurrency }, "worker started");
  return () => stopJobEngine();
}
