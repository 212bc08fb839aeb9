import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { AppError } from "@/lib/errors";
import type { StripeEvent as StoredEvent } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { withLock } from "@/lib/locks/advisory-lock";
import { applySubscription, productsSoldBy, stripeActor, type Applied } from "./apply-subscription";
import { CHECKOUT_TYPES } from "@/lib/stripe/read-stripe-event";
import { checkoutPriceIds, subscriptionTerm } from "@/lib/stripe/stripe-api";

// Retries back off from a minute to six hours: about a day and a half before an event is left to an admin.
const MAX_ATTEMPTS = 14;
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 6 * 3_600_000);

/**
 * Applies a stored event once: true when it is done (with or without an effect), false when it
 * failed and waits for its next attempt. Events of one subscription are applied one at a time.
 */
export async function applyStripeEvent(eventId: string, now = new Date()): Promise<boolean> {
  const row = await db.stripeEvent.findUnique({ where: { id: eventId }, select: { subscriptionId: true } });
  if (!row) return false;
  return withLock(`stripe:${row.subscriptionId ?? eventId}`, async () => {
    const event = await db.stripeEvent.findUniqueOrThrow({ where: { id: eventId } });
    if (event.processedAt) return true;
    try {
      const { note, entitlementIds } = await apply(event, now);
      await db.stripeEvent.update({
        where: { id: eventId },
        data: { processedAt: new Date(), outcome: note ?? null, entitlementId: entitlementIds[0] ?? null, attempts: { increment: 1 } },
      });
      return true;
    } catch (error) {
      const attempts = event.attempts + 1;
      const outcome = error instanceof AppError ? error.message : `Failed: ${(error as Error).message}`;
      log().warn({ err: error, eventId, attempts }, "Stripe event not applied; retried later");
      await db.stripeEvent.update({
        where: { id: eventId },
        data: { attempts, outcome, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) },
      });
      return false;
    }
  });
}

/** The minute sweep's share: events whose last attempt failed and whose next one is due. */
export async function retryStripeEvents(now = new Date()) {
  const due = await db.stripeEvent.findMany({
    where: { processedAt: null, nextAttemptAt: { lte: now }, attempts: { lt: MAX_ATTEMPTS } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
    take: 100,
  });
  let applied = 0;
  for (const { id } of due) if (await applyStripeEvent(id, now)) applied++;
  return { due: due.length, applied };
}

async function apply(event: StoredEvent, now: Date): Promise<Applied> {
  if (!CHECKOUT_TYPES.includes(event.type)) {
    if (!event.subscriptionId) return { note: "Not a subscription invoice: no access change", entitlementIds: [] };
    return applySubscription(event.subscriptionId, now);
  }
  const session = (event.payload as { data: { object: { id: string; mode?: string; payment_status?: string } } }).data.object;
  if (session.payment_status !== "paid" && session.payment_status !== "no_payment_required") {
    return { note: "Checkout not paid yet: access follows its payment", entitlementIds: [] };
  }
  if (event.subscriptionId) {
    const term = await subscriptionTerm(event.subscriptionId);
    await db.stripeEvent.update({ where: { id: event.id }, data: term });
    return applySubscription(event.subscriptionId, now);
  }
  if (session.mode !== "payment") return { note: `A ${session.mode ?? "unknown"} checkout sells nothing`, entitlementIds: [] };
  return applyOneTimePurchase(event, session.id);
}

/** A one-time payment: each product it sold for the product's default term. */
async function applyOneTimePurchase(event: StoredEvent, sessionId: string): Promise<Applied> {
  const priceIds = await checkoutPriceIds(sessionId);
  await db.stripeEvent.update({ where: { id: event.id }, data: { priceIds } });
  if (!event.customerEmail) return { note: "The checkout has no customer email", entitlementIds: [] };
  const { products, note } = await productsSoldBy(priceIds);
  const entitlementIds = [];
  for (const product of products) {
    const { entitlement } = await grantEntitlement({
      actor: stripeActor,
      source: "STRIPE",
      stripeCustomerId: event.stripeCustomerId ?? undefined,
      input: {
        customerEmail: event.customerEmail,
        customerName: event.customerName ?? undefined,
        productSlug: product.slug,
        externalRef: `${sessionId}:${product.slug}`,
      },
    });
    entitlementIds.push(entitlement.id);
  }
  return { note, entitlementIds };
}
