import { db } from "@/lib/db";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/enums";

export type { WebhookDeliveryStatus };

const RECENT_DELIVERIES = 50;

/** An endpoint without its signing secret. `eventTypes` is empty for every type. */
export type WebhookEndpointRow = { id: string; url: string; eventTypes: string[]; enabled: boolean; createdAt: Date };

export type WebhookDeliveryRow = {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** The HTTP status of the last answer, if one came. */
  lastStatus: number | null;
  lastError: string | null;
  event: { id: string; type: string };
  endpoint: { url: string };
};

export type WebhooksView = { endpoints: WebhookEndpointRow[]; deliveries: WebhookDeliveryRow[] };

/** The endpoints and the latest deliveries, newest first: the webhooks page. */
export async function getWebhooksView(): Promise<WebhooksView> {
  const [endpoints, deliveries] = await Promise.all([
    db.webhookEndpoint.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, url: true, eventTypes: true, enabled: true, createdAt: true } }),
    db.webhookDelivery.findMany({
      orderBy: { createdAt: "desc" },
      take: RECENT_DELIVERIES,
      select: {
        id: true,
        status: true,
        attempts: true,
        nextAttemptAt: true,
        lastStatus: true,
        lastError: true,
        event: { select: { id: true, type: true } },
        endpoint: { select: { url: true } },
      },
    }),
  ]);
  return { endpoints, deliveries };
}
