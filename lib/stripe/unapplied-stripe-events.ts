import { db } from "@/lib/db";

// Not applied after a try: an unknown price, Stripe unreachable, or still backing off.
const unapplied = { processedAt: null, attempts: { gt: 0 } } as const;

/** Stripe purchases that have not given access yet, for the admin to act on (usually: map the price). */
export function listUnappliedStripeEvents() {
  return db.stripeEvent.findMany({
    where: unapplied,
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { id: true, type: true, customerEmail: true, priceIds: true, outcome: true, attempts: true, nextAttemptAt: true, createdAt: true },
  });
}

export function countUnappliedStripeEvents() {
  return db.stripeEvent.count({ where: unapplied });
}
