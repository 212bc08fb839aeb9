// The only module that imports the Stripe SDK: webhook signature checks and the two reads a
// purchase needs (what a checkout sold, and a subscription's items and paid period).
import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type StripeEvent = Stripe.Event;

// Stripe's own default: an event signed longer ago than this is refused as a replay.
const SIGNATURE_TOLERANCE_SECONDS = 300;

let client: Stripe | undefined;

function stripe(): Stripe {
  if (client) return client;
  const { STRIPE_SECRET_KEY, STRIPE_API_URL } = env();
  if (!STRIPE_SECRET_KEY) throw new AppError("UNAVAILABLE", "STRIPE_SECRET_KEY is not set: checkouts cannot be read from Stripe");
  const api = STRIPE_API_URL ? new URL(STRIPE_API_URL) : undefined;
  client = new Stripe(STRIPE_SECRET_KEY, {
    // Events are applied while Stripe waits for the answer: a slow API fails fast, and the sweep retries.
    maxNetworkRetries: 1,
    timeout: 8_000,
    ...(api && { host: api.hostname, port: api.port, protocol: api.protocol === "http:" ? "http" : "https" }),
  });
  return client;
}

/** The event, once its Stripe-Signature proves Stripe sent this exact body recently; INVALID_INPUT otherwise. */
export function verifyStripeEvent(rawBody: string, signature: string | null): StripeEvent {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError("UNAVAILABLE", "Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)");
  if (!signature) throw new AppError("INVALID_INPUT", "Missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    throw new AppError("INVALID_INPUT", `Stripe signature verification failed: ${(error as Error).message}`);
  }
}

/** The prices a checkout session sold (Stripe leaves line items out of its events). */
export async function checkoutPriceIds(sessionId: string): Promise<string[]> {
  const items = await stripe().checkout.sessions.listLineItems(sessionId, { limit: 100 });
  return items.data.flatMap((item) => (item.price ? [item.price.id] : []));
}

type Term = { priceIds: string[]; periodEnd: Date | null; cancelsAtPeriodEnd: boolean };

/** A subscription's prices, the end of the period paid so far, and whether it ends then. */
export async function subscriptionTerm(subscriptionId: string): Promise<Term> {
  const subscription = await stripe().subscriptions.retrieve(subscriptionId);
  return subscriptionItemsTerm(subscription);
}

type ItemsLike = {
  items?: { data?: { price?: { id?: string } | null; current_period_end?: number }[] };
  current_period_end?: number;
  cancel_at_period_end?: boolean;
  cancel_at?: number | null;
};

/** A subscription object's term, its period end read from its items (or, in older API versions, the subscription itself). */
export function subscriptionItemsTerm(subscription: ItemsLike): Term {
  // A signed event is still read defensively: a list that is not one reads as empty.
  const items = Array.isArray(subscription.items?.data) ? subscription.items.data : [];
  const ends = items.flatMap((i) => (i.current_period_end ? [i.current_period_end] : []));
  if (subscription.current_period_end) ends.push(subscription.current_period_end);
  return {
    priceIds: items.flatMap((i) => (i.price?.id ? [i.price.id] : [])),
    periodEnd: ends.length > 0 ? new Date(Math.max(...ends) * 1000) : null,
    cancelsAtPeriodEnd: Boolean(subscription.cancel_at_period_end || subscription.cancel_at),
  };
}
