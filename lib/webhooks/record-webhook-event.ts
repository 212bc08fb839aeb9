import { db, isUniqueViolation } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export type NewWebhookEvent = {
  type: string;
  /** Unique per lifecycle event and term; null for events that may repeat (tests). */
  key: string | null;
  entitlementId: string | null;
  data: object;
  /** Only this endpoint (a test event); otherwise every enabled endpoint subscribed to the type. */
  endpointId?: string;
};

/**
 * The outbox: the event and a delivery for each endpoint that wants it, in one transaction, so an
 * event is never recorded without its deliveries. A keyed event is recorded once however many
 * sweeps find it at the same time: null when another already did.
 */
export async function recordWebhookEvent({ type, key, entitlementId, data, endpointId }: NewWebhookEvent, now: Date) {
  try {
    return await db.$transaction(async (tx) => {
      // A snapshot as it will be sent: dates become ISO strings now, not at delivery.
      const json = JSON.parse(JSON.stringify(data)) as Prisma.InputJsonObject;
      const event = await tx.webhookEvent.create({ data: { type, key, entitlementId, data: json, createdAt: now } });
      const endpoints = await tx.webhookEndpoint.findMany({
        where: endpointId ? { id: endpointId } : { enabled: true, OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: type } }] },
        select: { id: true },
      });
      const deliveries = await tx.webhookDelivery.createManyAndReturn({
        data: endpoints.map((e) => ({ eventId: event.id, endpointId: e.id, nextAttemptAt: now })),
        select: { id: true },
      });
      return { id: event.id, deliveryIds: deliveries.map((d) => d.id) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
