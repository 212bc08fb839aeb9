import { NextResponse } from "next/server";
import { toPublicError } from "@/lib/api/error-response";
import { receiveStripeEvent } from "@/lib/billing/receive-stripe-event";
import { readBoundedText } from "@/lib/http/bounded-body";

// Stripe's events are a few kilobytes; anything far larger is not one, and is not read.
const MAX_BODY_BYTES = 1_000_000;

/** Stripe's deliveries: 400 for anything not signed by Stripe (nothing is stored), 200 once the event is stored. */
export async function POST(req: Request) {
  try {
    const payload = await readBoundedText(req, MAX_BODY_BYTES, "The body is too large for a Stripe event");
    const receipt = await receiveStripeEvent(payload, req.headers.get("stripe-signature"));
    return NextResponse.json({ received: true, ...receipt });
  } catch (error) {
    const { status, body } = toPublicError(error, { during: "Stripe webhook" });
    // Stripe retries anything but 2xx; a bad signature is final, so it gets 400, not 422.
    return NextResponse.json(body, { status: status === 422 ? 400 : status });
  }
}
