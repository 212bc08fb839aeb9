// Purchases through Stripe: signed events stored once and applied in any order, against
// PostgreSQL and the emulated AWS account.
import { describe, expect, it } from "vitest";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { expireDueEntitlements } from "@/lib/provisioning/expire-entitlements";
import { addStripePrice } from "@/lib/products/stripe-prices";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { retryStripeEvents } from "@/lib/billing/apply-stripe-event";
import { countFailingStripeEvents, listUnappliedStripeEvents } from "@/lib/billing/unapplied-stripe-events";
import { probe } from "../support/aws-probe";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { unique } from "../support/seed";
import { checkoutSession, deliver, lineItems, paidInvoice, putStripeObject, stripeEvent, stripeSignature, subscription } from "../support/stripe-events";

const actor = systemActor("test");
const DAY = 86_400_000;
const { product } = productOnNewRepositoryFixture();
const daysFromNow = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);

const newPriceId = () => `price_${unique("p").replace(/[^A-Za-z0-9]/g, "")}`;

/** The test product, sold through a new Stripe price. */
async function pricedProduct() {
  const priceId = newPriceId();
  const { id } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
  await addStripePrice({ actor, productId: id, priceId });
  return priceId;
}

const stripeEntitlements = (subscriptionId: string) =>
  db.entitlement.findMany({ where: { source: "STRIPE", externalRef: { startsWith: `${subscriptionId}:` } } });

async function subscribe(email: string, priceId: string, periodEnd: Date) {
  const subscriptionId = unique("sub");
  await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, periodEnd));
  const res = await deliver(stripeEvent("checkout.session.completed", checkoutSession({ email, subscriptionId })));
  expect(res.status).toBe(200);
  return subscriptionId;
}

describe("the Stripe webhook", () => {
  it("refuses unsigned, wrongly signed, stale and altered deliveries with 400 and stores nothing", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("forged")}@example.com`;
    const event = stripeEvent("invoice.paid", paidInvoice({ subscriptionId: unique("sub"), priceId, email, periodStart: new Date(), periodEnd: daysFromNow(30) }));
    const before = { events: await db.stripeEvent.count(), entitlements: await db.entitlement.count() };
    const payload = JSON.stringify(event);
    const attempts = [
      deliver(event, { signature: null }),
      deliver(event, { secret: "whsec_someone_else" }),
      deliver(event, { signedAt: new Date(Date.now() - 10 * 60_000) }),
      deliver(event, { signature: "t=1,v1=deadbeef" }),
      // Signed for one body, delivered with another.
      deliver(payload.replace(email, "attacker@example.com"), { signature: stripeSignature(payload) }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/Stripe-Signature|signature/i);
    }
    // A body far larger than any Stripe event is refused unread.
    const huge = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers: { "content-length": "2000000" }, body: "{}" }));
    expect(huge.status).toBe(413);
    expect({ events: await db.stripeEvent.count(), entitlements: await db.entitlement.count() }).toEqual(before);
  });

  it("grants on checkout, ignores a replay, extends on renewal without touching AWS, and ends at the period end on cancellation", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("subscriber")}@example.com`;
    const firstEnd = daysFromNow(30);
    const subscriptionId = await subscribe(email, priceId, firstEnd);
    const [granted] = await stripeEntitlements(subscriptionId);
    expect(granted).toMatchObject({ kind: "STANDARD", status: "ACTIVE", expiresAt: firstEnd, externalRef: `${subscriptionId}:${product.slug}` });
    expect(await convergeCustomer(granted!.customerId, actor)).toEqual({ ok: true });
    const identity = await db.awsIdentity.findFirstOrThrow({ where: { customerId: granted!.customerId, status: "ACTIVE" } });
    expect(await probe.principals(product.repo)).toContain(identity.arn);

    // Stripe retries the same event: stored once, applied once.
    const secondEnd = daysFromNow(60);
    const renewal = stripeEvent("invoice.paid", paidInvoice({ subscriptionId, priceId, email, periodStart: firstEnd, periodEnd: secondEnd }));
    const deliveries = await Promise.all([deliver(renewal), deliver(renewal), deliver(renewal)]);
    expect(deliveries.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(deliveries.map((r) => r.json()));
    expect(bodies.filter((b) => b.duplicate)).toHaveLength(2);
    const renewed = await db.entitlement.findUniqueOrThrow({ where: { id: granted!.id } });
    expect(renewed.expiresAt).toEqual(secondEnd);
    // Access did not change, so nothing waits on AWS.
    expect(renewed.syncStatus).toBe("SYNCED");
    const audit = await db.auditEvent.findMany({ where: { entitlementId: granted!.id }, select: { action: true } });
    expect(audit.filter((a) => a.action === "entitlement.extended")).toHaveLength(1);

    // Cancelled with immediate effect: access ends at the end of the period it was deleted in.
    const now = new Date();
    await deliver(stripeEvent("customer.subscription.deleted", subscription(subscriptionId, priceId, new Date(now.getTime() - 1000), { status: "canceled" })));
    const cancelled = await db.entitlement.findUniqueOrThrow({ where: { id: granted!.id } });
    expect(cancelled.expiresAt.getTime()).toBeLessThanOrEqual(now.getTime());
    await expireDueEntitlements(new Date());
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: granted!.id } })).status).toBe("EXPIRED");
    expect(await convergeCustomer(granted!.customerId, actor)).toEqual({ ok: true });
    expect(await probe.principals(product.repo)).not.toContain(identity.arn);
  });

  it("ends up in the same state whatever order Stripe's events arrive in", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("shuffled")}@example.com`;
    const subscriptionId = unique("sub");
    const paidUntil = daysFromNow(60);
    const cancelledAt = daysFromNow(30);
    await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, daysFromNow(30)));
    const events = [
      stripeEvent("customer.subscription.deleted", subscription(subscriptionId, priceId, cancelledAt, { status: "canceled" })),
      stripeEvent("invoice.paid", paidInvoice({ subscriptionId, priceId, email, periodStart: cancelledAt, periodEnd: paidUntil })),
      stripeEvent("checkout.session.completed", checkoutSession({ email, subscriptionId })),
    ];
    // Cancellation first, then a renewal that must not outlive it, then the checkout itself.
    for (const event of events) expect((await deliver(event)).status).toBe(200);
    const [entitlement, ...others] = await stripeEntitlements(subscriptionId);
    expect(others).toEqual([]);
    expect(entitlement!.expiresAt).toEqual(cancelledAt);
    expect(await db.stripeEvent.count({ where: { subscriptionId, processedAt: null } })).toBe(0);
  });

  it("grants from a paid invoice that arrives before its checkout, once", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("early-invoice")}@example.com`;
    const subscriptionId = unique("sub");
    const periodEnd = daysFromNow(30);
    await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, periodEnd));
    await deliver(stripeEvent("invoice.paid", paidInvoice({ subscriptionId, priceId, email, periodStart: new Date(), periodEnd })));
    await deliver(stripeEvent("checkout.session.completed", checkoutSession({ email, subscriptionId })));
    const granted = await stripeEntitlements(subscriptionId);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.expiresAt).toEqual(periodEnd);
  });

  it("ignores a price no product sells, and applies the purchase once the price is added to a product", async () => {
    const email = `${unique("unmapped")}@example.com`;
    const subscriptionId = unique("sub");
    const priceId = newPriceId();
    const res = await deliver(stripeEvent("invoice.paid", paidInvoice({ subscriptionId, priceId, email, periodStart: new Date(), periodEnd: daysFromNow(30) })));
    expect(await res.json()).toMatchObject({ processed: true });
    const waiting = await db.stripeEvent.findFirstOrThrow({ where: { subscriptionId } });
    expect(waiting.outcome).toMatch(new RegExp(`No product is sold by Stripe price ${priceId}: ignored`));
    // Not a fault (the vendor may sell other things through Stripe), but listed for the admin.
    expect(await countFailingStripeEvents()).toBe(0);
    // The admin sees it waiting, with the reason.
    expect((await listUnappliedStripeEvents()).find((e) => e.id === waiting.id)).toMatchObject({ priceIds: [priceId], customerEmail: email });
    expect(await stripeEntitlements(subscriptionId)).toEqual([]);

    const { id } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
    await addStripePrice({ actor, productId: id, priceId });
    await retryStripeEvents(new Date());
    expect(await stripeEntitlements(subscriptionId)).toHaveLength(1);
    expect((await db.stripeEvent.findUniqueOrThrow({ where: { id: waiting.id } })).processedAt).not.toBeNull();
    expect((await listUnappliedStripeEvents()).map((e) => e.id)).not.toContain(waiting.id);
  });

  it("sells a one-time purchase for the product's default term, and only once it is paid", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("one-time")}@example.com`;
    const session = checkoutSession({ email, paymentStatus: "unpaid" });
    await putStripeObject(`/v1/checkout/sessions/${session.id as string}/line_items`, lineItems(priceId));
    await deliver(stripeEvent("checkout.session.completed", session));
    const ref = `${session.id as string}:${product.slug}`;
    expect(await db.entitlement.count({ where: { externalRef: ref } })).toBe(0);

    await deliver(stripeEvent("checkout.session.async_payment_succeeded", { ...session, payment_status: "paid" }));
    const granted = await db.entitlement.findFirstOrThrow({ where: { source: "STRIPE", externalRef: ref } });
    const term = (granted.expiresAt.getTime() - granted.startsAt.getTime()) / DAY;
    expect(term).toBe(365);
  });

  it("converts the customer's running trial instead of granting a second entitlement", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("trialist")}@example.com`;
    const trial = await grantEntitlement({ actor, source: "ADMIN", input: { customerEmail: email, productSlug: product.slug, kind: "TRIAL" } });
    expect(await convergeCustomer(trial.entitlement.customerId, actor)).toEqual({ ok: true });
    const before = await db.entitlement.findUniqueOrThrow({ where: { id: trial.entitlement.id } });

    const paidUntil = daysFromNow(45);
    const subscriptionId = await subscribe(email, priceId, paidUntil);
    const after = await db.entitlement.findUniqueOrThrow({ where: { id: trial.entitlement.id } });
    expect(after).toMatchObject({ kind: "STANDARD", status: "ACTIVE", source: "STRIPE", externalRef: `${subscriptionId}:${product.slug}`, expiresAt: paidUntil });
    // Same access, nothing for AWS to do.
    expect(after.syncStatus).toBe("SYNCED");
    expect(after.syncedAt).toEqual(before.syncedAt);
    expect(await db.entitlement.count({ where: { customerId: trial.entitlement.customerId } })).toBe(1);
  });

  it("retries with backoff a checkout it could not read from Stripe, and applies it once Stripe answers", async () => {
    const priceId = await pricedProduct();
    const email = `${unique("stripe-down")}@example.com`;
    const subscriptionId = unique("sub");
    // Stripe does not know the subscription yet: the event is kept, counted as failing, and retried.
    const res = await deliver(stripeEvent("checkout.session.completed", checkoutSession({ email, subscriptionId })));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ processed: false });
    const failing = await db.stripeEvent.findFirstOrThrow({ where: { subscriptionId } });
    expect(failing).toMatchObject({ processedAt: null, attempts: 1 });
    expect(await countFailingStripeEvents()).toBeGreaterThanOrEqual(1);

    await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, daysFromNow(30)));
    // Not before its backoff: a minute after the first try.
    expect(await retryStripeEvents(new Date(failing.nextAttemptAt.getTime() - 1000))).toMatchObject({ due: 0 });
    await retryStripeEvents(failing.nextAttemptAt);
    expect(await stripeEntitlements(subscriptionId)).toHaveLength(1);
    expect((await db.stripeEvent.findUniqueOrThrow({ where: { id: failing.id } })).processedAt).not.toBeNull();
  });

  it("answers 200 without storing events it does not act on", async () => {
    const before = await db.stripeEvent.count();
    const res = await deliver(stripeEvent("customer.created", { id: unique("cus"), object: "customer" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ handled: false });
    expect(await db.stripeEvent.count()).toBe(before);
  });
});
