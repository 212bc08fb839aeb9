// A month of purchases, trials, renewals, cancellations and expiries with the clock moved forward
// a day at a time, through the same functions the minute sweep runs, against PostgreSQL, the AWS
// emulator, the SMTP catcher and a webhook receiver: everything happens in order, exactly once.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { expireDueEntitlements } from "@/lib/provisioning/expire-entitlements";
import { sendDueNotices } from "@/lib/notices/send-due-notices";
import { setProductTerms } from "@/lib/products/set-product-terms";
import { addStripePrice } from "@/lib/products/stripe-prices";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { retryStripeEvents } from "@/lib/billing/apply-stripe-event";
import { addDays } from "@/lib/time/days";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { probe } from "../support/aws-probe";
import { drainWebhooksOf } from "../support/drain-webhooks";
import { inbox } from "../support/inbox";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { unique } from "../support/seed";
import { checkoutSession, deliver, paidInvoice, putStripeObject, stripeEvent, subscription } from "../support/stripe-events";
import { startWebhookReceiver } from "../support/webhook-receiver";

const actor = systemActor("test");
const { product } = productOnNewRepositoryFixture();
// Every day's work runs at noon UTC. The month lies in the past (day 36 is four days ago), so no
// row it writes is dated after the real now that the other files' tests see.
const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 12 * 3_600_000 - 40 * 86_400_000);
const day = (n: number) => addDays(start, n);
const people = { a: unique("a"), b: unique("b"), c: unique("c"), d: unique("d") };
const email = (who: keyof typeof people) => `${people[who]}@example.com`;
const vendor = `${unique("vendor")}@vendor.example`;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let priceId: string;
let productName: string;
let endpointId: string;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
  const row = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
  productName = row.name;
  await setProductTerms({ actor, productId: row.id, input: { gracePeriodDays: 3, trialDays: 7, defaultTermDays: 365 } });
  priceId = `price_${unique("month").replace(/[^A-Za-z0-9]/g, "")}`;
  await addStripePrice({ actor, productId: row.id, priceId });
  await db.user.create({ data: { email: vendor, role: "VENDOR_OWNER" } });
  // Other files' endpoints may be here too: each pass serves every endpoint its share, so they
  // hold up none of this month's deliveries, and only this file's endpoint is removed after it.
  receiver = await startWebhookReceiver();
  const endpoint = await createWebhookEndpoint({ actor, input: { url: receiver.url } });
  endpointId = endpoint.id;
  receiver.state.secret = endpoint.secret;
});

afterAll(async () => {
  vi.useRealTimers();
  await db.webhookEndpoint.delete({ where: { id: endpointId } });
  await receiver.close();
});

const customerIds = async () =>
  (await db.user.findMany({ where: { email: { in: Object.keys(people).map((w) => email(w as keyof typeof people)) } }, select: { customerId: true } })).map(
    (u) => u.customerId!,
  );

/** One day: what happens that day, then the sweep's work (Stripe retries, expiry, reconcile, notices, webhooks). */
async function tick(n: number, happen?: () => Promise<unknown>) {
  vi.setSystemTime(day(n));
  await happen?.();
  const now = new Date();
  await retryStripeEvents(now);
  await expireDueEntitlements(now);
  const pending = await db.entitlement.findMany({ where: { customerId: { in: await customerIds() }, syncStatus: "PENDING" }, select: { customerId: true } });
  for (const customerId of new Set(pending.map((p) => p.customerId))) expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  await sendDueNotices(now);
  await deliverDueWebhooks(now);
  await drainWebhooksOf(endpointId, now);
}

/** A Stripe subscription bought through Checkout, paid until `paidUntil`. */
async function subscribe(who: keyof typeof people, subscriptionId: string, paidUntil: Date) {
  await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, paidUntil));
  expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession({ email: email(who), name: people[who], subscriptionId })))).status).toBe(200);
}

const entitlementOf = async (who: keyof typeof people) => db.entitlement.findFirstOrThrow({ where: { customer: { users: { some: { email: email(who) } } } } });
const identityOf = async (who: keyof typeof people) => db.awsIdentity.findFirst({ where: { customer: { users: { some: { email: email(who) } } } }, orderBy: { createdAt: "asc" } });

describe("a simulated month", () => {
  it("grants, converts, renews, warns, keeps the grace period and revokes, each once and in order", async () => {
    const subA = unique("sub");
    const subB = unique("sub");
    const subD = unique("sub");

    // Day 0: A and D subscribe monthly, B starts a trial, C gets a ten-day grant by hand.
    await tick(0, async () => {
      await subscribe("a", subA, day(30));
      await subscribe("d", subD, day(30));
      await grantEntitlement({ actor, source: "API", input: { customerEmail: email("b"), customerName: people.b, productSlug: product.slug, kind: "TRIAL" } });
      await grantEntitlement({ actor, source: "ADMIN", input: { customerEmail: email("c"), customerName: people.c, productSlug: product.slug, expiresAt: day(10).toISOString() } });
    });
    const b0 = { identity: await identityOf("b"), entitlement: await entitlementOf("b") };
    expect(b0.entitlement).toMatchObject({ kind: "TRIAL", expiresAt: day(7) });
    const keysOfB = await probe.keyIds(b0.identity!.userName);
    for (const who of ["a", "b", "c", "d"] as const) expect(await probe.principals(product.repo)).toContain((await identityOf(who))!.arn);

    for (let n = 1; n <= 36; n++) {
      await tick(n, async () => {
        // Day 5: B buys before its trial ends; the trial converts in place.
        if (n === 5) await subscribe("b", subB, day(35));
        // Day 15: D cancels with immediate effect.
        if (n === 15) await deliver(stripeEvent("customer.subscription.deleted", subscription(subD, priceId, day(15), { status: "canceled" })));
        // Day 20: A asks to cancel at the end of the period; Day 30: the period ends.
        if (n === 20) await deliver(stripeEvent("customer.subscription.updated", subscription(subA, priceId, day(30), { cancel_at_period_end: true })));
        if (n === 30) await deliver(stripeEvent("customer.subscription.deleted", subscription(subA, priceId, day(30), { status: "canceled" })));
        // Day 35: B's subscription renews; Stripe delivers the invoice twice.
        if (n === 35) {
          const renewal = stripeEvent("invoice.paid", paidInvoice({ subscriptionId: subB, priceId, email: email("b"), periodStart: day(35), periodEnd: day(65) }));
          await deliver(renewal);
          await deliver(renewal);
        }
      });
      // C keeps pulling through its grace period (days 10 to 13), and not after.
      if (n === 12) expect((await entitlementOf("c")).status).toBe("ACTIVE");
      if (n === 13) expect((await entitlementOf("c")).status).toBe("EXPIRED");
    }

    // What each customer was told, in order, once each.
    const subjects = async (to: string) => (await inbox(to)).map((m) => m.subject);
    const about = (what: string) => `Your access to ${productName} ${what}`;
    const welcome = about("is ready");
    expect(await subjects(email("a"))).toEqual([welcome, about("expires in 10 days"), about("expires in 7 days"), about("expires tomorrow"), about("has ended")]);
    expect(await subjects(email("b"))).toEqual([welcome, about("expires in 7 days")]);
    expect(await subjects(email("c"))).toEqual([welcome, about("expires in 10 days"), about("expires in 7 days"), about("expires tomorrow"), about("has ended")]);
    expect(await subjects(email("d"))).toEqual([welcome, about("has ended")]);
    const vendorSubjects = await subjects(vendor);
    expect(vendorSubjects.filter((s) => Object.values(people).some((name) => s === `Expired: ${name}, ${productName}`))).toEqual(
      ["c", "d", "a"].map((who) => `Expired: ${people[who as keyof typeof people]}, ${productName}`),
    );

    // What the vendor's systems were told, in order, once each.
    const typesOf = async (who: keyof typeof people) => {
      const id = (await entitlementOf(who)).id;
      return receiver.state.received.filter((e) => (e.data.entitlement as { id: string }).id === id).map((e) => e.type);
    };
    const expiring = "entitlement.expiring";
    expect(await typesOf("a")).toEqual(["entitlement.ready", expiring, expiring, expiring, "entitlement.expired"]);
    expect(await typesOf("b")).toEqual(["entitlement.ready", expiring]);
    expect(await typesOf("c")).toEqual(["entitlement.ready", expiring, expiring, expiring, "entitlement.expired"]);
    expect(await typesOf("d")).toEqual(["entitlement.ready", "entitlement.expired"]);
    expect(new Set(receiver.state.received.map((e) => e.id)).size).toBe(receiver.state.received.length);

    // B: one entitlement all month, converted and renewed without new credentials.
    const b = await entitlementOf("b");
    expect(b).toMatchObject({ id: b0.entitlement.id, kind: "STANDARD", status: "ACTIVE", expiresAt: day(65), autoRenews: true });
    const actions = (await db.auditEvent.findMany({ where: { entitlementId: b.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("entitlement."))).toEqual(["entitlement.granted", "entitlement.converted", "entitlement.extended"]);
    expect(await identityOf("b")).toMatchObject({ id: b0.identity!.id, status: "ACTIVE" });
    expect(await probe.keyIds(b0.identity!.userName)).toEqual(keysOfB);

    // AWS at the end of the month: only B can pull.
    const principals = await probe.principals(product.repo);
    expect(principals).toContain(b0.identity!.arn);
    for (const who of ["a", "c", "d"] as const) {
      expect((await entitlementOf(who)).status).toBe("EXPIRED");
      expect(principals).not.toContain((await identityOf(who))!.arn);
    }
    expect((await entitlementOf("d")).expiresAt).toEqual(day(15));
  });
});
