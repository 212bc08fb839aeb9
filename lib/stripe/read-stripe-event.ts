import type { StripeEvent } from "./stripe-api";
import { subscriptionItemsTerm } from "./stripe-api";

/** What Pullgate needs from one Stripe event; null for event types it does not act on. */
export type StripeFacts = {
  subscriptionId: string | null;
  periodEnd: Date | null;
  customerEmail: string | null;
  customerName: string | null;
  priceIds: string[];
};

// Stripe objects are read by field, since the event's shape follows the webhook endpoint's API
// version: newer versions moved an invoice's subscription and prices under parent and pricing.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v).id);

export const CHECKOUT_TYPES = ["checkout.session.completed", "checkout.session.async_payment_succeeded"];
export const SUBSCRIPTION_ENDED = "customer.subscription.deleted";
const HANDLED = new Set([...CHECKOUT_TYPES, "invoice.paid", SUBSCRIPTION_ENDED]);

export function readStripeEvent(event: StripeEvent): StripeFacts | null {
  if (!HANDLED.has(event.type)) return null;
  const o = obj(event.data.object);
  if (CHECKOUT_TYPES.includes(event.type)) {
    const details = obj(o.customer_details);
    // What it sold (and a subscription's period) is read from Stripe when the event is applied.
    return {
      subscriptionId: o.mode === "subscription" ? idOf(o.subscription) : null,
      periodEnd: null,
      customerEmail: str(details.email) ?? str(o.customer_email),
      customerName: str(details.name),
      priceIds: [],
    };
  }
  if (event.type === "invoice.paid") {
    const lines = (obj(o.lines).data as Obj[] | undefined) ?? [];
    const ends = lines.map((l) => Number(obj(l.period).end)).filter((end) => end > 0);
    return {
      subscriptionId: idOf(obj(obj(o.parent).subscription_details).subscription) ?? idOf(o.subscription),
      periodEnd: ends.length > 0 ? new Date(Math.max(...ends) * 1000) : null,
      customerEmail: str(o.customer_email),
      customerName: str(o.customer_name),
      priceIds: [...new Set(lines.flatMap((l) => str(obj(obj(l.pricing).price_details).price) ?? idOf(l.price) ?? []))],
    };
  }
  const term = subscriptionItemsTerm(o as Parameters<typeof subscriptionItemsTerm>[0]);
  return { subscriptionId: str(o.id), periodEnd: term.periodEnd, customerEmail: null, customerName: null, priceIds: term.priceIds };
}
