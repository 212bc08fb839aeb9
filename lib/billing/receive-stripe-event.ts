import { db, isUniqueViolation } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyStripeEvent } from "./apply-stripe-event";
import { readStripeEvent } from "@/lib/stripe/read-stripe-event";
import { verifyStripeEvent } from "@/lib/stripe/stripe-api";

export type Receipt = { id: string; type: string; handled: boolean; duplicate: boolean; processed: boolean };

/**
 * Takes a delivery from Stripe: verified first (a bad signature changes nothing), stored once by
 * its event id, then applied. A failure to apply is kept on the stored event and retried by the
 * minute sweep, so Stripe is answered 200 and never needs to retry it; only a failure to store
 * makes Stripe deliver it again. A repeated delivery of an event still unapplied tries again.
 */
export async function receiveStripeEvent(rawBody: string, signature: string | null): Promise<Receipt> {
  const event = verifyStripeEvent(rawBody, signature);
  const facts = readStripeEvent(event);
  const receipt = { id: event.id, type: event.type, handled: Boolean(facts), duplicate: false, processed: false };
  if (!facts) return receipt;
  try {
    await db.stripeEvent.create({
      data: {
        id: event.id,
        type: event.type,
        createdAt: new Date(event.created * 1000),
        payload: JSON.parse(rawBody) as Prisma.InputJsonValue,
        ...facts,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    receipt.duplicate = true;
  }
  receipt.processed = await applyStripeEvent(event.id);
  return receipt;
}
