import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { jobEngine } from "@/lib/jobs/boss";
import { listDeadLetters, retryDeadLetter, type DeadLetter } from "@/lib/jobs/dead-letters";
import { DEAD_LETTER_QUEUE, JOBS } from "@/lib/jobs/queues";
import { repositoryRowSelect } from "@/lib/products/repository-row";

// What the admin engine page reads: queue depths, dead letters with what they were about, and
// each repository's grant strategy. The formatting helpers below are pure, for the pages and tests.

/** One line per queue, in the words an admin uses: each job's own description, and the dead letters. */
export const QUEUE_DESCRIPTIONS: Record<string, string> = {
  ...Object.fromEntries(Object.values(JOBS).map((job) => [job.name, job.description])),
  [DEAD_LETTER_QUEUE]: "Jobs that used up their retries. They wait here until an admin retries them.",
};

export type QueueStatus = {
  name: string;
  description: string;
  /** Created or waiting out a retry's backoff, including jobs scheduled for later. */
  waiting: number;
  /** Taken by a worker and running now. */
  active: number;
};

/**
 * The depth of every queue. pg-boss counts the jobs in states before the one named (created <
 * retry < active < completed ...): before "active" is what waits, before "completed" adds what runs.
 */
export async function engineStatus(): Promise<QueueStatus[]> {
  const boss = await jobEngine();
  return Promise.all(
    Object.entries(QUEUE_DESCRIPTIONS).map(async ([name, description]) => {
      const [waiting, notDone] = await Promise.all([boss.getQueueSize(name), boss.getQueueSize(name, { before: "completed" })]);
      // Two counts, not one snapshot: a job that starts between them must not make this negative.
      return { name, description, waiting, active: Math.max(0, notDone - waiting) };
    }),
  );
}

export type DeadLetterRow = DeadLetter & {
  customer: { id: string; name: string } | null;
  repository: { id: string; name: string; region: string } | null;
};

/** The dead letters, newest first, with the customer or repository each one was about. */
export async function deadLetterRows(limit = 100): Promise<DeadLetterRow[]> {
  const letters = await listDeadLetters(limit);
  const customerIds = [...new Set(letters.flatMap((l) => (l.customerId ? [l.customerId] : [])))];
  const repositoryIds = [...new Set(letters.flatMap((l) => (l.repositoryId ? [l.repositoryId] : [])))];
  const [customers, repositories] = await Promise.all([
    customerIds.length === 0 ? [] : db.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, name: true } }),
    repositoryIds.length === 0
      ? []
      : db.repository.findMany({ where: { id: { in: repositoryIds } }, select: { id: true, name: true, region: true } }),
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const repositoryById = new Map(repositories.map((r) => [r.id, r]));
  return letters.map((l) => ({
    ...l,
    customer: (l.customerId && customerById.get(l.customerId)) || null,
    repository: (l.repositoryId && repositoryById.get(l.repositoryId)) || null,
  }));
}

/** An admin's retry of a dead letter: the work goes back in its queue, and the audit log says who did it. */
export async function retryDeadLetterAs(actor: Actor, id: string) {
  const about = await retryDeadLetter(id);
  // The event links to the customer only if it still exists (the audit log references customers).
  const customer =
    "customerId" in about ? await db.customer.findUnique({ where: { id: about.customerId }, select: { id: true } }) : null;
  await recordAuditEvent(db, {
    actor,
    action: "provisioning.retried",
    customerId: customer?.id ?? null,
    data: { deadLetter: id, ...about },
  });
}

/** The repositories with their grant strategy, policy size and sync state, for the engine page. */
export function repositoryStates() {
  return db.repository.findMany({
    orderBy: [{ name: "asc" }, { region: "asc" }],
    select: { ...repositoryRowSelect, product: { select: { name: true } } },
  });
}
