// Purchases reach the company that bought: a customer owner's invitation of an address nobody
// accepted captures nothing; the paying Stripe customer and accepted users route purchases.
import { describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/audit/actor";
import { signInWithLink } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { addStripePrice } from "@/lib/products/stripe-prices";
import { inviteToOwnCustomer } from "@/lib/users/invite-user";
import { inbox } from "../support/inbox";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";
import { checkoutSession, deliver, putStripeObject, stripeEvent, subscription } from "../support/stripe-events";

const vendor = systemActor("test");
const { product } = productOnNewRepositoryFixture();

const email = (who: string) => `${unique(who)}@example.com`;
const adminGrant = (customerEmail: string) => grantEntitlement({ actor: vendor, source: "ADMIN", input: { customerEmail, productSlug: product.slug, expiresAt: inAYear() } });

/** A customer whose owner bought and signed in, and that owner as an actor. */
async function customerWithOwner() {
  const ownerEmail = email("owner");
  const { entitlement } = await adminGrant(ownerEmail);
  const owner = await db.user.update({ where: { email: ownerEmail }, data: { lastLoginAt: new Date() } });
  const actor: Actor = { type: "USER", id: owner.id, label: owner.email };
  return { customerId: entitlement.customerId, actor };
}

async function invite(actor: Actor, customerId: string, invitee: string) {
  await inviteToOwnCustomer({ actor, customerId, input: { email: invitee, role: "CUSTOMER_MEMBER" } });
  return db.user.findUniqueOrThrow({ where: { email: invitee } });
}

/** Follows the invitation email's link: the invitee's first sign-in. */
async function accept(invitee: string) {
  const [mail] = await inbox(invitee);
  const token = /\/login\/link\?token=([^\s&"]+)/.exec(mail!.text)?.[1];
  expect(await signInWithLink(decodeURIComponent(token!), { ip: "198.51.100.7", userAgent: "RoutingTest/1.0" })).not.toBeNull();
}

const newPriceId = () => `price_${unique("p").replace(/[^A-Za-z0-9]/g, "")}`;

/** A paid Stripe subscription checkout by this Stripe customer, under this email. */
async function stripeCheckout(stripeCustomerId: string, buyerEmail: string) {
  const priceId = newPriceId();
  const { id } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
  await addStripePrice({ actor: vendor, productId: id, priceId });
  const subscriptionId = unique("sub");
  await putStripeObject(`/v1/subscriptions/${subscriptionId}`, subscription(subscriptionId, priceId, new Date(Date.now() + 30 * 86_400_000), { customer: stripeCustomerId }));
  const res = await deliver(stripeEvent("checkout.session.completed", { ...checkoutSession({ email: buyerEmail, subscriptionId }), customer: stripeCustomerId }));
  expect(res.status).toBe(200);
  return db.entitlement.findFirstOrThrow({ where: { source: "STRIPE", externalRef: `${subscriptionId}:${product.slug}` } });
}

describe("a purchase under an invited address", () => {
  it("goes to the buyer's own customer while the invitation is unaccepted, and withdraws the invitation", async () => {
    const inviter = await customerWithOwner();
    const procurement = email("procurement");
    const invited = await invite(inviter.actor, inviter.customerId, procurement);

    const { entitlement } = await adminGrant(procurement);
    expect(entitlement.customerId).not.toBe(inviter.customerId);
    const buyer = await db.user.findUniqueOrThrow({ where: { email: procurement } });
    expect(buyer).toMatchObject({ customerId: entitlement.customerId, role: "CUSTOMER_OWNER", invitedAt: null });
    expect(buyer.id).not.toBe(invited.id);
    // The inviter's customer keeps no trace of the address but the audit record of why it went.
    expect(await db.user.count({ where: { customerId: inviter.customerId, email: procurement } })).toBe(0);
    const withdrawn = await db.auditEvent.findFirst({ where: { customerId: inviter.customerId, action: "user.invitation_withdrawn" } });
    expect(withdrawn?.data).toMatchObject({ email: procurement });
  });

  it("goes to the inviter's customer once the invitee signed in through their link", async () => {
    const inviter = await customerWithOwner();
    const colleague = email("colleague");
    await invite(inviter.actor, inviter.customerId, colleague);
    await accept(colleague);

    const { entitlement } = await adminGrant(colleague);
    expect(entitlement.customerId).toBe(inviter.customerId);
  });

  it("through Stripe, goes to the customer its Stripe payer bought for before, whoever's email it carries", async () => {
    const ownerEmail = email("owner");
    const payer = `cus_${unique("c").replace(/[^A-Za-z0-9]/g, "")}`;
    const first = await stripeCheckout(payer, ownerEmail);
    expect(await db.customer.findUniqueOrThrow({ where: { id: first.customerId } })).toMatchObject({ stripeCustomerId: payer });

    // The owner's colleague, invited but not signed in yet, buys on the company's Stripe account.
    const owner = await db.user.findUniqueOrThrow({ where: { email: ownerEmail } });
    const colleague = email("colleague");
    await invite({ type: "USER", id: owner.id, label: owner.email }, first.customerId, colleague);
    const second = await stripeCheckout(payer, colleague);
    expect(second.customerId).toBe(first.customerId);
    expect(await db.user.findUniqueOrThrow({ where: { email: colleague } })).toMatchObject({ customerId: first.customerId });
  });

  it("through Stripe, paid by another Stripe customer, goes to that buyer's own customer", async () => {
    const inviter = await customerWithOwner();
    const procurement = email("procurement");
    await invite(inviter.actor, inviter.customerId, procurement);
    const payer = `cus_${unique("c").replace(/[^A-Za-z0-9]/g, "")}`;

    const entitlement = await stripeCheckout(payer, procurement);
    expect(entitlement.customerId).not.toBe(inviter.customerId);
    expect(await db.customer.findUniqueOrThrow({ where: { id: entitlement.customerId } })).toMatchObject({ stripeCustomerId: payer });
  });
});

describe("a reused externalRef", () => {
  it("is a conflict for another customer, and creates nothing", async () => {
    const externalRef = unique("order");
    const first = await grantEntitlement({ actor: vendor, source: "ADMIN", input: { customerEmail: email("first"), productSlug: product.slug, expiresAt: inAYear(), externalRef } });
    const customers = await db.customer.count();
    const other = grantEntitlement({ actor: vendor, source: "ADMIN", input: { customerEmail: email("other"), productSlug: product.slug, expiresAt: inAYear(), externalRef } });
    await expect(other).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining(externalRef) });
    expect(await db.customer.count()).toBe(customers);
    expect(await db.entitlement.count({ where: { externalRef } })).toBe(1);
    expect(first.created).toBe(true);
  });
});
