import { trailStatus, type TrailStatus } from "@/lib/activity/trail-status";
import { listUnappliedStripeEvents } from "@/lib/billing/unapplied-stripe-events";
import { db } from "@/lib/db";
import { listFailedEntitlements, type FailedEntitlementRow } from "./failed-entitlements-view";
import { iamUserQuota, type IamUserQuota } from "./iam-user-quota";
import { deadLetterRows, engineStatus, repositoryStates, type DeadLetterRow, type QueueStatus } from "@/lib/health/engine-status";
import { DEAD_LETTER_QUEUE } from "@/lib/jobs/queues";
import { toRepositoryRow, type RepositoryRow } from "@/lib/products/repository-row";
import type { DriftFinding } from "@/lib/provisioning/detect-drift";

// How the job engine is doing, for the admin engine page: its backlog, what it gave up on, each
// repository's grant strategy and the last drift audit.

export type { DeadLetterRow, DriftFinding };

const FAILURES_SHOWN = 50;

/** `active` is null for the dead-letter queue: no worker runs it, its jobs wait for an admin. */
export type QueueRow = Omit<QueueStatus, "active"> & { active: number | null };

export type DriftRunView = { startedAt: Date; error: string | null; repaired: number; findings: DriftFinding[] };

export type EngineView = {
  /** Entitlements waiting to be provisioned or revoked. */
  pending: number;
  failed: FailedEntitlementRow[];
  queues: QueueRow[];
  /** The newest dead letters; `deadLetterTotal` counts them all. */
  deadLetters: DeadLetterRow[];
  deadLetterTotal: number;
  repositories: RepositoryRow[];
  lastRun: DriftRunView | null;
  stripeEvents: Awaited<ReturnType<typeof listUnappliedStripeEvents>>;
  iamUsers: IamUserQuota;
  trail: TrailStatus;
};

/** Everything the engine page shows, read side by side. */
export async function getEngineView(): Promise<EngineView> {
  const [pending, failed, queues, deadLetters, repositories, lastRun, stripeEvents, iamUsers, trail] = await Promise.all([
    db.entitlement.count({ where: { syncStatus: "PENDING" } }),
    listFailedEntitlements(FAILURES_SHOWN),
    engineStatus(),
    deadLetterRows(),
    repositoryStates(),
    db.driftRun.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true, error: true, repaired: true, findings: true } }),
    listUnappliedStripeEvents(),
    iamUserQuota(),
    trailStatus(),
  ]);
  return {
    pending,
    failed,
    queues: queues.map((q) => ({ ...q, active: q.name === DEAD_LETTER_QUEUE ? null : q.active })),
    deadLetters,
    deadLetterTotal: queues.find((q) => q.name === DEAD_LETTER_QUEUE)?.waiting ?? deadLetters.length,
    repositories: repositories.map(toRepositoryRow),
    // The audit writes its findings as this JSON array.
    lastRun: lastRun && { ...lastRun, findings: lastRun.findings as DriftFinding[] },
    stripeEvents,
    iamUsers,
    trail,
  };
}
