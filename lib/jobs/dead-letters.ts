import { z } from "zod";
import { AppError } from "@/lib/errors";
import { jobEngine } from "./boss";
import { enqueueCustomerReconcile, enqueueRepositoryReconcile } from "./enqueue";
import { DEAD_LETTER_QUEUE } from "./queues";

export type DeadLetter = {
  id: string;
  customerId: string | null;
  repositoryId: string | null;
  error: string;
  failedAt: Date;
};

const jobData = z.union([z.object({ customerId: z.string() }), z.object({ repositoryId: z.string() })]);

// pg-boss keeps the last failure's serialized error as the job's output.
function errorOf(output: unknown) {
  const message = (output as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : JSON.stringify(output ?? "unknown error");
}

// A dead letter waits for an admin until retried; its queue is the first parameter.
const WAITING_DEAD_LETTER = `name = $1 AND state < 'active'`;

/** How many provisioning jobs used up their retries and wait for an admin. */
export async function countDeadLetters(): Promise<number> {
  const boss = await jobEngine();
  const { rows } = await boss.getDb().executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE ${WAITING_DEAD_LETTER}`, [DEAD_LETTER_QUEUE]);
  return (rows as { n: number }[])[0]?.n ?? 0;
}

/** Provisioning jobs that used up their retries, newest first. */
export async function listDeadLetters(limit = 100): Promise<DeadLetter[]> {
  const boss = await jobEngine();
  const { rows } = await boss
    .getDb()
    .executeSql(`SELECT id, data, output, created_on FROM pgboss.job WHERE ${WAITING_DEAD_LETTER} ORDER BY created_on DESC LIMIT $2`, [
      DEAD_LETTER_QUEUE,
      limit,
    ]);
  return (rows as { id: string; data: unknown; output: unknown; created_on: Date }[]).map((row) => {
    const data = jobData.safeParse(row.data);
    return {
      id: row.id,
      customerId: data.success && "customerId" in data.data ? data.data.customerId : null,
      repositoryId: data.success && "repositoryId" in data.data ? data.data.repositoryId : null,
      error: errorOf(row.output),
      failedAt: new Date(row.created_on),
    };
  });
}

/** Puts a dead job's work back in its queue and removes it from the dead letters; returns what it was about. */
export async function retryDeadLetter(id: string): Promise<{ customerId: string } | { repositoryId: string }> {
  const boss = await jobEngine();
  const job = z.string().uuid().safeParse(id).success ? await boss.getJobById(DEAD_LETTER_QUEUE, id) : null;
  const data = jobData.safeParse(job?.data);
  if (!job || job.state !== "created" || !data.success) throw new AppError("NOT_FOUND", "That failed job is no longer waiting");
  if ("customerId" in data.data) await enqueueCustomerReconcile(data.data.customerId);
  else await enqueueRepositoryReconcile(data.data.repositoryId);
  await boss.deleteJob(DEAD_LETTER_QUEUE, id);
  return data.data;
}
