/** What the vendor's systems can subscribe to: the entitlement lifecycle, as the notices see it. */
export const WEBHOOK_EVENT_TYPES = [
  "entitlement.ready",
  "entitlement.expiring",
  "entitlement.expired",
  "entitlement.revoked",
  "entitlement.provisioning_failed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by hand from the admin page to one endpoint; nobody subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";
