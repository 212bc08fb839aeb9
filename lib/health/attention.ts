import { memoFor } from "@/lib/cache/memo-for";
import { db } from "@/lib/db";
import { countFailingStripeEvents } from "@/lib/billing/unapplied-stripe-events";
import { countDeadLetters } from "@/lib/jobs/dead-letters";

// Read on every overview view; a few seconds of staleness spares the job tables under a crowd.
const TTL_MS = 5_000;

export type Attention = {
  deadLetters: number;
  stripeEvents: number;
  drift: { finishedAt: Date | null; findings: number; repaired: number; error: string | null } | null;
};

/** What the engine could not finish on its own: jobs that used up their retries, Stripe purchases not applied, and the last drift audit. */
export function engineAttention(now = new Date()): Promise<Attention> {
  return memoFor("engine-attention", TTL_MS, readAttention, now.getTime());
}

async function readAttention(): Promise<Attention> {
  const [deadLetters, stripeEvents, drift] = await Promise.all([
    countDeadLetters(),
    countFailingStripeEvents(),
    db.driftRun.findFirst({ orderBy: { startedAt: "desc" }, select: { finishedAt: true, findings: true, repaired: true, error: true } }),
  ]);
  return {
    deadLetters,
    stripeEvents,
    drift: drift && { ...drift, findings: Array.isArray(drift.findings) ? drift.findings.length : 0 },
  };
}
