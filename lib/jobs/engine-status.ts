import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { REPOSITORY_POLICY_MAX_CHARS } from "@/lib/aws/pull-policy";
import { db } from "@/lib/db";
import type { GrantStrategy } from "@/lib/generated/prisma/enums";
import { jobEngine } from "./boss";
import { listDeadLetters, retryDeadLetter, type DeadLetter } from "./dead-letters";
import { DEAD_LETTER_QUEUE, QUEUES, type QueueName } from "./queues";

// What the admin engine page reads: queue depths, dead letters with what they were about, and
// each repository's grant strategy. The formatting helpers below are pure, for the pages and tests.

type EngineQueue = QueueName | typeof DEAD_LETTER_QUEUE;

/** One line per queue, in the words an admin uses. */
export const QUEUE_DESCRIPTIONS: Record<EngineQueue, string> = {
  [QUEUES.reconcileCustomer]:
    "Brings one customer's IAM user, access key and pull permissions in line with their entitlements.",
  [QUEUES.reconcileRepository]:
    "Writes one repository's policy; changes that arrive close together share a single write.",
  [QUEUES.expireEntitlements]: "Ends access at the moment entitlements expire.",
  [QUEUES.sweep]: "Runs every minute: catches missed expiries, re-queues stalled work and starts the drift audit when it is due.",
  [DEAD_LETTER_QUEUE]: "Jobs that used up their retries. They wait here until an admin retries them.",
};

export type QueueStatus = {
  name: EngineQueue;
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
  const names: EngineQueue[] = [...Object.values(QUEUES), DEAD_LETTER_QUEUE];
  return Promise.all(
    names.map(async (name) => {
      const [waiting, notDone] = await Promise.all([boss.getQueueSize(name), boss.getQueueSize(name, { before: "completed" })]);
      // Two counts, not one snapshot: a job that starts between them must not make this negative.
      return { name, description: QUEUE_DESCRIPTIONS[name], waiting, active: Math.max(0, notDone - waiting) };
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
    select: {
      id: true,
      accountId: true,
      region: true,
      name: true,
      strategy: true,
      strategyReason: true,
      policyChars: true,
      syncedAt: true,
      syncError: true,
      product: { select: { name: true } },
    },
  });
}

export function strategyLabel(strategy: GrantStrategy): string {
  return strategy === "REPOSITORY_POLICY" ? "Repository policy" : "Identity policies";
}

export type PolicySize = {
  /** What the admin reads, e.g. "4,210 of 10,240 characters". */
  text: string;
  /** Share of ECR's limit, 0 to 100 (capped), or null when the size is not known yet. */
  percent: number | null;
  /** "near" from 90 % of the limit; the words say so too, not only the color. */
  level: "unknown" | "ok" | "near" | "over";
};

const count = new Intl.NumberFormat("en-US");

/** The last written or read repository policy's size against ECR's limit. */
export function policySize(chars: number | null | undefined, max = REPOSITORY_POLICY_MAX_CHARS): PolicySize {
  if (chars === null || chars === undefined) return { text: "Not written or read yet", percent: null, level: "unknown" };
  const text = `${count.format(chars)} of ${count.format(max)} characters`;
  const percent = Math.min(100, Math.round((chars / max) * 100));
  if (chars > max) return { text: `${text}, over the limit`, percent, level: "over" };
  if (chars >= max * 0.9) return { text: `${text}, near the limit`, percent, level: "near" };
  return { text, percent, level: "ok" };
}
