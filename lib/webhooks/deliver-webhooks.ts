import { db } from "@/lib/db";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import { endpointSecret } from "./endpoints";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { sendWebhookRequest, type WebhookAnswer } from "./webhook-request";

const MINUTE = 60_000;
// Waits after each failed attempt: eight attempts over about a day, then the delivery is failed.
const RETRY_DELAYS_MS = [1, 5, 30, 120, 240, 360, 720].map((m) => m * MINUTE);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
// A send takes at most the request timeout: a claim older than this belongs to a worker that died.
const CLAIM_TIMEOUT_MS = 2 * MINUTE;
const REQUEST_TIMEOUT_MS = 10_000;
const ENDPOINTS_PER_PASS = 50;
const DELIVERIES_PER_ENDPOINT = 20;

export type AttemptOutcome = { status: WebhookDeliveryStatus; httpStatus: number | null; error: string | null };

const claimable = (now: Date) => ({
  status: "PENDING" as const,
  nextAttemptAt: { lte: now },
  endpoint: { enabled: true },
  OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } }],
});

/**
 * The minute sweep's share: every delivery that is due, a bounded batch at a time. Endpoints are
 * served side by side, each in the order its events happened and with a bounded share of the
 * pass; an endpoint that fails one is left alone for the rest of the pass, so a dead endpoint's
 * timeouts cost seconds, not minutes.
 */
export async function deliverDueWebhooks(now = new Date()) {
  // The endpoints first, then a few deliveries of each: a dead endpoint's backlog of due
  // deliveries takes one endpoint's share of the pass, never the whole batch.
  const endpoints = await db.webhookDelivery.groupBy({
    by: ["endpointId"],
    where: claimable(now),
    _min: { nextAttemptAt: true },
    orderBy: [{ _min: { nextAttemptAt: "asc" } }, { endpointId: "asc" }],
    take: ENDPOINTS_PER_PASS,
  });
  const byEndpoint = [];
  for (const { endpointId } of endpoints) {
    byEndpoint.push(
      await db.webhookDelivery.findMany({
        where: { endpointId, ...claimable(now) },
        orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        select: { id: true },
        take: DELIVERIES_PER_ENDPOINT,
      }),
    );
  }
  const counts = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    byEndpoint.map(async (deliveries) => {
      for (const { id } of deliveries) {
        const outcome = await attemptDelivery(id, now);
        if (!outcome) continue;
        counts[outcome.status === "DELIVERED" ? "delivered" : outcome.status === "FAILED" ? "failed" : "retrying"] += 1;
        if (outcome.status !== "DELIVERED") break;
      }
    }),
  );
  return counts;
}

/**
 * Sends one delivery if it is due and this caller wins its claim (a conditional update, so two
 * workers never send it at once); null otherwise. A 2xx answer delivers it; anything else
 * schedules the next attempt, or fails it after the last.
 */
export async function attemptDelivery(id: string, now: Date): Promise<AttemptOutcome | null> {
  const claimed = await db.webhookDelivery.updateMany({ where: { id, ...claimable(now) }, data: { claimedAt: now } });
  if (claimed.count === 0) return null;
  const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { event: true, endpoint: true } });
  const { httpStatus, error, detail } = await post(delivery.endpoint, delivery.event);
  const attempts = delivery.attempts + 1;
  const status: WebhookDeliveryStatus = error === null ? "DELIVERED" : attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
  if (error !== null) log().warn({ deliveryId: id, endpointId: delivery.endpointId, eventId: delivery.eventId, attempts, httpStatus, error, detail }, "webhook delivery failed");
  await db.webhookDelivery.updateMany({
    where: { id, claimedAt: now },
    data: {
      status,
      attempts,
      claimedAt: null,
      lastAttemptAt: now,
      lastStatus: httpStatus,
      lastError: error,
      deliveredAt: status === "DELIVERED" ? now : null,
      ...(status === "PENDING" ? { nextAttemptAt: new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]!) } : {}),
    },
  });
  return { status, httpStatus, error };
}

type Endpoint = { id: string; url: string; secretCiphertext: string; secretKeyId: string };
type Event = { id: string; type: string; createdAt: Date; data: unknown };

/** One signed POST; never follows a redirect (the signature is for this URL only). */
async function post(endpoint: Endpoint, event: Event): Promise<WebhookAnswer> {
  const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });
  // The signing time is the real moment of sending, which the receiver compares with its clock.
  const t = Math.floor(Date.now() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "Pullgate-Webhooks/1",
    "Pullgate-Event-Id": event.id,
    "Pullgate-Event-Type": event.type,
    [SIGNATURE_HEADER]: signatureHeader(endpointSecret(endpoint), body, t),
  };
  return sendWebhookRequest({ url: endpoint.url, headers, body }, { timeoutMs: REQUEST_TIMEOUT_MS });
}
