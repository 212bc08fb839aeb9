import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { addDays } from "@/lib/time/days";

const priceIdSchema = z.string().trim().regex(/^price_[A-Za-z0-9]{1,250}$/, "A Stripe price id looks like price_1Pq…");

// Purchases of a price made this recently before it was added to a product are applied then.
const LATE_MAPPING_DAYS = 30;

/**
 * Makes a purchase of the Stripe price grant the product. Purchases of it from the last 30 days
 * that granted nothing (the price was not added yet) are applied at once.
 */
export async function addStripePrice({ actor, productId, priceId }: { actor: Actor; productId: string; priceId: string }) {
  const id = priceIdSchema.parse(priceId);
  const product = await db.product.findUnique({ where: { id: productId }, select: { slug: true } });
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  // Claimed by the price's id: of concurrent additions one creates it, and the rest are told whose it is.
  const added = await db.$transaction(async (tx) => {
    const { count } = await tx.stripePrice.createMany({ data: { id, productId }, skipDuplicates: true });
    if (count === 1) await recordAuditEvent(tx, { actor, action: "product.stripe_price_added", data: { product: product.slug, priceId: id } });
    return count === 1;
  });
  if (!added) {
    const owner = await db.stripePrice.findUnique({ where: { id }, select: { product: { select: { id: true, name: true } } } });
    // Same product: added already, nothing to do. Gone again since: a concurrent removal won.
    if (!owner || owner.product.id === productId) return;
    throw new AppError("CONFLICT", `${id} already sells ${owner.product.name}`);
  }
  const now = new Date();
  await db.stripeEvent.updateMany({
    where: { priceIds: { has: id }, entitlementId: null, receivedAt: { gte: addDays(now, -LATE_MAPPING_DAYS) } },
    data: { processedAt: null, outcome: null, attempts: 0, nextAttemptAt: now },
  });
}

export async function removeStripePrice({ actor, productId, priceId }: { actor: Actor; productId: string; priceId: string }) {
  const removed = await db.stripePrice.deleteMany({ where: { id: priceId, productId } });
  if (removed.count === 0) return;
  await recordAuditEvent(db, { actor, action: "product.stripe_price_removed", data: { productId, priceId } });
}
