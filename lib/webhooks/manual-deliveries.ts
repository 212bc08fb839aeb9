import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { attemptDelivery, type AttemptOutcome } from "./deliver-webhooks";
import { TEST_EVENT_TYPE } from "./event-types";
import { recordWebhookEvent } from "./record-webhook-event";

/** Sends a test event to one enabled endpoint right away; it is then retried like any other. */
export async function sendTestEvent(endpointId: string, now = new Date()) {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true, url: true, enabled: true } });
  if (!endpoint) throw new AppError("NOT_FOUND", "Webhook endpoint not found");
  if (!endpoint.enabled) throw new AppError("CONFLICT", "Enable the endpoint before sending it a test event");
  const recorded = await recordWebhookEvent(
    { type: TEST_EVENT_TYPE, key: null, entitlementId: null, endpointId, data: { message: "A test event sent from the Pullgate admin.", endpoint: { id: endpoint.id, url: endpoint.url } } },
    now,
  );
  // An event without a key is never a duplicate, so it is always recorded.
  return report(await attemptDelivery(recorded!.deliveryIds[0]!, now));
}

/** A failed delivery gets one more attempt, now; failing again, it is failed again. */
export async function retryDelivery(deliveryId: string, now = new Date()) {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id: deliveryId, status: "FAILED", endpoint: { enabled: true } },
    data: { status: "PENDING", nextAttemptAt: now, claimedAt: null },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "Delivery not found, not failed, or its endpoint is disabled");
  return report(await attemptDelivery(deliveryId, now));
}

/** The attempt's outcome, and a sentence for the admin. */
function report(outcome: AttemptOutcome | null) {
  if (!outcome) return { outcome, message: "Another worker is sending it; see its deliveries below." };
  const answer = outcome.error ?? `HTTP ${outcome.httpStatus}`;
  const message = outcome.status === "DELIVERED" ? `Delivered (${answer}).` : outcome.status === "FAILED" ? `Failed (${answer}).` : `Not delivered (${answer}); it will be retried.`;
  return { outcome, message };
}
