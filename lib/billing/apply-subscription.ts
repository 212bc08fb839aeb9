import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { extendEntitlement } from "@/lib/entitlements/extend-entitlement";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { shortenEntitlement } from "@/lib/entitlements/shorten-entitlement";
import { CHECKOUT_TYPES, SUBSCRIPTION_ENDED } from "@/lib/stripe/read-stripe-event";

export const stripeActor = systemActor("stripe");

export type Applied = { note?: string; entitlementIds: string[] };

export const UNSOLD_PRICE_NOTE = "No product is sold by Stripe price";

/**
 * The products a purchase of these prices grants. None is not an error: the vendor may sell other
 * things through Stripe too. The note says so, and adding the price to a product applies it then.
 */
export async function productsSoldBy(priceIds: string[]) {
  const prices = await db.stripePrice.findMany({ where: { id: { in: priceIds } }, select: { product: { select: { slug: true } } } });
  const products = [...new Map(prices.map((p) => [p.product.slug, p.product])).values()];
  const note = products.length === 0 ? `${UNSOLD_PRICE_NOTE} ${priceIds.join(", ") || "(none)"}: ignored until the price is added to a product` : undefined;
  return { products, note };
}

type Folded = { type: string; periodEnd: Date | null; createdAt: Date; cancelsAtPeriodEnd: boolean | null };

/**
 * The subscription's paid-until date, from all of its stored events at once: the latest paid
 * period's end, but never past the end of the period in which it was cancelled. Folding every
 * event (rather than applying each on its own) makes the result independent of the order Stripe
 * delivers them in: an invoice that arrives after the cancellation cannot revive access. It
 * renews automatically unless it ended or its latest word is that it ends at its period's end.
 */
export function subscriptionTarget(events: Folded[]) {
  const paid = events.filter((e) => e.type !== SUBSCRIPTION_ENDED && e.periodEnd).map((e) => e.periodEnd!.getTime());
  const ends = events.filter((e) => e.type === SUBSCRIPTION_ENDED).map((e) => (e.periodEnd ?? e.createdAt).getTime());
  const paidThrough = paid.length > 0 ? Math.max(...paid) : null;
  const cap = ends.length > 0 ? Math.min(...ends) : null;
  const target = paidThrough === null ? null : new Date(cap === null ? paidThrough : Math.min(paidThrough, cap));
  const said = events.filter((e) => e.cancelsAtPeriodEnd !== null).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  return { target, ended: cap !== null, autoRenews: cap === null && !said?.cancelsAtPeriodEnd };
}

/**
 * Converges the entitlements of one subscription (one per product it sells, keyed by
 * "<subscription>:<product>") to its paid-until date: granted on the first paid period (a
 * running trial of the product converts), extended by renewals, and brought forward to the
 * period end when the subscription is deleted. Running it again changes nothing.
 */
export async function applySubscription(subscriptionId: string, now: Date): Promise<Applied> {
  const events = await db.stripeEvent.findMany({ where: { subscriptionId }, orderBy: { createdAt: "asc" } });
  const { target, ended, autoRenews } = subscriptionTarget(events);
  const checkoutFirst = [...events].sort((a, b) => Number(CHECKOUT_TYPES.includes(b.type)) - Number(CHECKOUT_TYPES.includes(a.type)));
  const customerEmail = checkoutFirst.find((e) => e.customerEmail)?.customerEmail;
  const customerName = checkoutFirst.find((e) => e.customerName)?.customerName ?? undefined;
  const stripeCustomerId = checkoutFirst.find((e) => e.stripeCustomerId)?.stripeCustomerId ?? undefined;
  const priceIds = [...new Set(events.flatMap((e) => e.priceIds))];
  if (!target) return { note: "No paid period yet", entitlementIds: [] };

  const { products, note } = await productsSoldBy(priceIds);
  const notes = note ? [note] : [];
  const entitlementIds: string[] = [];
  for (const product of products) {
    const externalRef = `${subscriptionId}:${product.slug}`;
    const current = await db.entitlement.findUnique({ where: { source_externalRef: { source: "STRIPE", externalRef } } });
    if (!current) {
      if (target <= now) notes.push(`${product.slug}: the paid period had ended`);
      else if (!customerEmail) notes.push(`${product.slug}: no customer email yet`);
      else {
        const input = { customerEmail, customerName, productSlug: product.slug, expiresAt: target.toISOString(), externalRef };
        entitlementIds.push((await grantEntitlement({ actor: stripeActor, source: "STRIPE", input, stripeCustomerId })).entitlement.id);
      }
      continue;
    }
    entitlementIds.push(current.id);
    if (target > current.expiresAt && target > now) {
      if (current.status === "REVOKED") notes.push(`${product.slug}: revoked by the vendor, not restored`);
      else await extendEntitlement({ actor: stripeActor, entitlementId: current.id, input: { expiresAt: target.toISOString() } });
    } else if (ended && target < current.expiresAt) {
      await shortenEntitlement({ actor: stripeActor, entitlementId: current.id, expiresAt: target, reason: "Stripe subscription ended" });
    }
  }
  await db.entitlement.updateMany({ where: { id: { in: entitlementIds }, autoRenews: !autoRenews }, data: { autoRenews } });
  return { note: notes.join("; ") || undefined, entitlementIds };
}
