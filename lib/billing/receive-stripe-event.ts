import { db, isUniqueViolation } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyStripeEvent } from "./apply-stripe-event";
import { AppError } from "@/lib/errors";
import { readStripeEvent, type StripeFacts } from "@/lib/stripe/read-stripe-event";
import { assertCleanJson, emailOrNull, isIdShaped, isSaneInstant, textProblem } from "@/lib/validation/strict-input";
import { type StripeEvent, verifyStripeEvent } from "@/lib/stripe/stripe-api";

/** Signed by Stripe is not yet well-formed: an event that could not be stored as sent is refused (400), nothing kept. */
function checkEventShape(event: unknown): asserts event is StripeEventLike {
  const e = (event && typeof event === "object" ? event : {}) as Record<string, unknown>;
  const data = e.data as Record<string, unknown> | null | undefined;
  if (!isIdShaped(e.id)) throw new AppError("INVALID_INPUT", "The event has no valid id");
  if (typeof e.type !== "string" || textProblem(e.type, { max: 200, multiline: false })) throw new AppError("INVALID_INPUT", "The event has no valid type");
  if (!Number.isSafeInteger(e.created) || !isSaneInstant(new Date((e.created as number) * 1000))) {
    throw new AppError("INVALID_INPUT", "The event's created time is not a time in range");
  }
  if (!data || typeof data !== "object" || !data.object || typeof data.object !== "object") throw new AppError("INVALID_INPUT", "The event carries no object");
  assertCleanJson(event, { max: 100_000 });
}

/** What the event says, or INVALID_INPUT when its object is not shaped as its type's is (it is read field by field). */
function readFacts(event: StripeEvent): StripeFacts | null {
  try {
    return readStripeEvent(event);
  } catch {
    throw new AppError("INVALID_INPUT", `The ${event.type} event's object is not shaped as Stripe sends one`);
  }
}

function checkFacts(event: StripeEvent, facts: StripeFacts) {
  // Every object Stripe sends has an id; one without is not a session, invoice or subscription.
  if (!isIdShaped((event.data.object as { id?: unknown }).id)) throw new AppError("INVALID_INPUT", "The event's object has no valid id");
  if (facts.periodEnd && !isSaneInstant(facts.periodEnd)) throw new AppError("INVALID_INPUT", "The event's period end is not a time in range");
  if (facts.customerEmail !== null && !emailOrNull(facts.customerEmail)) throw new AppError("INVALID_INPUT", "The event's customer email is not an email address");
  for (const text of [facts.customerName, facts.subscriptionId, facts.stripeCustomerId, ...facts.priceIds]) {
    if (text !== null && textProblem(text, { max: 500, multiline: false })) throw new AppError("INVALID_INPUT", "The event carries a value that cannot be stored");
  }
}

type StripeEventLike = { id: string; type: string; created: number; data: { object: object } };

export type Receipt = { id: string; type: string; handled: boolean; duplicate: boolean; processed: boolean };

/**
 * Takes a delivery from Stripe: verified first (a bad signature changes nothing), stored once by
 * its event id, then applied. A failure to apply is kept on the stored event and retried by the
 * minute sweep, so Stripe is answered 200 and never needs to retry it; only a failure to store
 * makes Stripe deliver it again. A repeated delivery of an event still unapplied tries again.
 */
export async function receiveStripeEvent(rawBody: string, signature: string | null): Promise<Receipt> {
  // The signature is checked before anything in the body is read.
  const event = verifyStripeEvent(rawBody, signature);
  checkEventShape(event);
  const facts = readFacts(event);
  if (facts) checkFacts(event, facts);
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
