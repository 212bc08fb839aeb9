import { db } from "@/lib/db";
import { addDays } from "@/lib/time/days";
import { UNSOLD_PRICE_NOTE } from "./apply-subscription";

// Not applied after a try: Stripe unreachable, the database failing, still backing off.
const failing = { processedAt: null, attempts: { gt: 0 } } as const;

/**
 * Stripe events of the last 30 days that have not given access: those failing (retried), and
 * purchases of prices no product sells (applied once the price is added to a product).
 */
export function listUnappliedStripeEvents(now = new Date()) {
  const unsold = { entitlementId: null, outcome: { startsWith: UNSOLD_PRICE_NOTE }, receivedAt: { gte: addDays(now, -30) } };
  return db.stripeEvent.findMany({
    where: { OR: [failing, unsold] },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { id: true, type: true, customerEmail: true, priceIds: true, outcome: true, attempts: true, nextAttemptAt: true, processedAt: true, createdAt: true },
  });
}

/** The failing ones only: a price the vendor does not sell through Pullgate is not a fault. */
export function countFailingStripeEvents() {
  return db.stripeEvent.count({ where: failing });
}
