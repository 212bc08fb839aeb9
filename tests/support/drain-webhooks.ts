import { db } from "@/lib/db";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";

/**
 * Runs delivery passes until the endpoint has nothing due. Files running beside a test record
 * events too, and each fans out to every enabled endpoint: one pass serves an endpoint a bounded
 * share, so the test's own deliveries may sit behind others'.
 */
export async function drainWebhooksOf(endpointId: string, now = new Date()) {
  const due = () => db.webhookDelivery.count({ where: { endpointId, status: "PENDING", nextAttemptAt: { lte: now } } });
  for (let pass = 0; pass < 100 && (await due()) > 0; pass++) await deliverDueWebhooks(now);
}
