import Stripe from "stripe";
import { inject } from "vitest";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { unique } from "./seed";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-api-server";

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
type Obj = Record<string, unknown>;

/** A Stripe event as Stripe sends it: the object in data.object, created at `at`. */
export function stripeEvent(type: string, object: Obj, at = new Date()): Obj {
  return { id: unique("evt"), object: "event", api_version: "2026-10-28.endive", created: seconds(at), livemode: false, type, data: { object } };
}

/** A Stripe-Signature header for the payload, made with the stripe package's test helper. */
export function stripeSignature(payload: string, opts: { secret?: string; signedAt?: Date } = {}) {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? STRIPE_TEST_WEBHOOK_SECRET,
    timestamp: opts.signedAt ? seconds(opts.signedAt) : undefined,
  });
}

/** Delivers an event to the webhook route, signed unless told otherwise. */
export async function deliver(event: Obj | string, opts: { signature?: string | null; secret?: string; signedAt?: Date } = {}) {
  const payload = typeof event === "string" ? event : JSON.stringify(event);
  const signature = opts.signature === undefined ? stripeSignature(payload, opts) : opts.signature;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  return stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body: payload }));
}

/** Stores an object where the Stripe SDK reads it (the stand-in API server of tests/support/stripe-api-server). */
export async function putStripeObject(path: string, object: unknown) {
  const res = await fetch(`${inject("integration").stripeApiUrl}${path}`, { method: "PUT", body: JSON.stringify(object) });
  if (!res.ok) throw new Error(`could not store ${path}`);
}

/** A subscription as the API returns it (and as customer.subscription.deleted carries it). */
export function subscription(id: string, priceId: string, periodEnd: Date, extra: Obj = {}): Obj {
  const item = { id: `si_${id}`, object: "subscription_item", price: { id: priceId, object: "price" }, current_period_end: seconds(periodEnd) };
  return { id, object: "subscription", status: "active", items: { object: "list", data: [item] }, ...extra };
}

export function checkoutSession(opts: { email: string; name?: string; subscriptionId?: string; paymentStatus?: string }): Obj {
  return {
    id: unique("cs_test"),
    object: "checkout.session",
    mode: opts.subscriptionId ? "subscription" : "payment",
    payment_status: opts.paymentStatus ?? "paid",
    subscription: opts.subscriptionId ?? null,
    customer_details: { email: opts.email, name: opts.name ?? null },
  };
}

/** A paid subscription invoice in the current API's shape (subscription under parent, price under pricing). */
export function paidInvoice(opts: { subscriptionId: string; priceId: string; email: string; periodStart: Date; periodEnd: Date }): Obj {
  return {
    id: unique("in"),
    object: "invoice",
    status: "paid",
    customer_email: opts.email,
    parent: { type: "subscription_details", subscription_details: { subscription: opts.subscriptionId } },
    lines: {
      object: "list",
      data: [
        {
          id: unique("il"),
          object: "line_item",
          period: { start: seconds(opts.periodStart), end: seconds(opts.periodEnd) },
          pricing: { type: "price_details", price_details: { price: opts.priceId, product: "prod_test" } },
        },
      ],
    },
  };
}

export function lineItems(priceId: string): Obj {
  return { object: "list", has_more: false, data: [{ id: unique("li"), object: "item", price: { id: priceId, object: "price" } }] };
}
