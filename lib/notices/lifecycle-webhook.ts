import { presentEntitlement } from "@/lib/entitlements/present-entitlement";
import { lifecycleKey, type LifecycleEvent } from "./due-lifecycle-events";
import { daysUntil } from "@/lib/time/days";
import type { WebhookEventType } from "@/lib/webhooks/event-types";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

function eventType(event: LifecycleEvent): WebhookEventType {
  if (event === "ready") return "entitlement.ready";
  if (event === "expired") return "entitlement.expired";
  if (event === "revoked") return "entitlement.revoked";
  if (event === "failed") return "entitlement.provisioning_failed";
  return "entitlement.expiring";
}

/** Records a lifecycle event in the webhook outbox, once per entitlement, event and term. */
export async function recordLifecycleWebhook(entitlement: { id: string; expiresAt: Date }, event: LifecycleEvent, now: Date) {
  const expiring = event.startsWith("expiring-") ? { daysLeft: daysUntil(entitlement.expiresAt, now), offsetDays: Number(event.slice("expiring-".length)) } : {};
  return recordWebhookEvent(
    {
      type: eventType(event),
      key: lifecycleKey(entitlement.id, event, entitlement.expiresAt),
      entitlementId: entitlement.id,
      data: { entitlement: await presentEntitlement(entitlement.id, now), ...expiring },
    },
    now,
  );
}
