import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { withLock } from "@/lib/locks/advisory-lock";
import { queueOptions } from "./queues";

const globalForBoss = globalThis as unknown as { pullgateBoss?: Promise<PgBoss> };

function create(maintenance: boolean) {
  const boss = new PgBoss({
    connectionString: env().DATABASE_URL,
    max: 5,
    schema: "pgboss",
    // Cron and maintenance run where workers run; a web process that only sends jobs skips them.
    supervise: maintenance,
    schedule: maintenance,
  });
  boss.on("error", (error) => log().error({ err: error }, "job engine error"));
  return boss;
}

async function startBoss(maintenance: boolean) {
  const boss = create(maintenance);
  await boss.start();
  // Creating a queue is DDL (a partition each): processes starting together would deadlock.
  await withLock("job-engine:queues", async () => {
    for (const [name, options] of Object.entries(queueOptions())) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...options });
      // Workers bring the configured retry policy; a sender leaves the queue as it is.
      else if (maintenance) await boss.updateQueue(name, { name, ...options });
    }
  });
  return boss;
}

/**
 * The process's job engine client, started (and its schema installed) on first use. A worker
 * process asks for `maintenance` (cron and housekeeping) before anything else uses the engine.
 */
export function jobEngine({ maintenance = false } = {}): Promise<PgBoss> {
  globalForBoss.pullgateBoss ??= startBoss(maintenance).catch((error: unknown) => {
    globalForBoss.pullgateBoss = undefined;
    throw error;
  });
  return globalForBoss.pullgateBoss;
}

export async function stopJobEngine() {
  const boss = await globalForBoss.pullgateBoss?.catch(() => undefined);
  globalForBoss.pullgateBoss = undefined;
  await boss?.stop({ graceful: true, wait: true, close: true, timeout: 30_000 });
}
