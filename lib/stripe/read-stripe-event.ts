import type { StripeEvent } from "./stripe-api";
import { subscriptionItemsTerm } from "./stripe-api";

/** What Pullgate needs from one Stripe event; null for event types it does not act on. */
export type StripeFacts = {
  subscriptionId: string | null;
  periodEnd: Date | null;
  customerEmail: string | null;
  customerName: string | null;
  /** The paying Stripe customer (cus_...), which routes a purchase before its email does. */
  stripeCustomerId: string | null;
  priceIds: string[];
  cancelsAtPeriodEnd: boolean | null;
};

// Stripe objects are read by field, since the event's shape follows the webhook endpoint's API
// version: newer versions moved an invoice's subscription and prices under parent and pricing.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v).id);

export const CHECKOUT_TYPES = ["checkout.session.completed", "checkout.session.async_payment_succeeded"];
export const SUBSCRIPTION_ENDED = "customer.subscription.deleted";
const SUBSCRIPTION_UPDATED = "customer.subscription.updated";
const HANDLED = new Set([...CHECKOUT_TYPES, "invoice.paid", SUBSCRIPTION_UPDATED, SUBSCRIPTION_ENDED]);

export function readStripeEvent(event: StripeEvent): StripeFacts | null {
  if (!HANDLED.has(event.type)) return null;
  const o = obj(event.data.object);
  // Checkout sessions, invoices and subscriptions all name their customer the same way.
  const stripeCustomerId = idOf(o.customer);
  if (CHECKOUT_TYPES.includes(event.type)) {
    const details = obj(o.customer_details);
    // What it sold (and a subscription's period) is read from Stripe when the event is applied.
    return {
      subscriptionId: o.mode === "subscription" ? idOf(o.subscription) : null,
      periodEnd: null,
      customerEmail: str(details.email) ?? str(o.customer_email),
      customerName: str(details.name),
      stripeCustomerId,
      priceIds: [],
      cancelsAtPeriodEnd: null,
    };
  }
  if (event.type === "invoice.paid") {
    const listed = obj(o.lines).data;
    const lines = Array.isArray(listed) ? listed.map(obj) : [];
    const ends = lines.map((l) => Number(obj(l.period).end)).filter((end) => end > 0);
    return {
      subscriptionId: idOf(obj(obj(o.parent).subscription_details).subscription) ?? idOf(o.subscription),
      periodEnd: ends.length > 0 ? new Date(Math.max(...ends) * 1000) : null,
      customerEmail: str(o.customer_email),
      customerName: str(o.customer_name),
      stripeCustomerId,
      priceIds: [...new Set(lines.flatMap((l) => str(obj(obj(l.pricing).price_details).price) ?? idOf(l.price) ?? []))],
      cancelsAtPeriodEnd: null,
    };
  }
  const term = subscriptionItemsTerm(o as Parameters<typeof subscriptionItemsTerm>[0]);
  const ended = event.type === SUBSCRIPTION_ENDED;
  return {
    subscriptionId: str(o.id),
    // An update's period is not a paid one (it may be past due): only the deletion's end counts.
    periodEnd: ended ? term.periodEnd : null,
    customerEmail: null,
    customerName: null,
    stripeCustomerId,
    priceIds: term.priceIds,
    cancelsAtPeriodEnd: ended ? null : term.cancelsAtPeriodEnd,
  };
}
