import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { newSecretToken } from "@/lib/auth/tokens";
import { open, seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { webhookEndpointInputSchema, type WebhookEndpointInput } from "./endpoint-input";

const SECRET_PREFIX = "whsec_";

/** Binds a sealed secret to its endpoint, so ciphertexts cannot be swapped between rows. */
export const endpointSecretAad = (endpointId: string) => `webhook-endpoint:${endpointId}`;

export const endpointSecret = (endpoint: { id: string; secretCiphertext: string; secretKeyId: string }) =>
  open(endpoint.secretCiphertext, endpoint.secretKeyId, endpointSecretAad(endpoint.id));

/** Adds an endpoint. Its signing secret is returned this once; it is stored sealed, as signing needs it back. */
export async function createWebhookEndpoint({ actor, input }: { actor: Actor; input: WebhookEndpointInput }) {
  const { url, scope, eventTypes } = webhookEndpointInputSchema.parse(input);
  // The id is chosen here because the sealed secret is bound to it.
  const id = randomUUID();
  const { token: secret } = newSecretToken(SECRET_PREFIX);
  const sealed = seal(secret, endpointSecretAad(id));
  const types = scope === "all" ? [] : [...new Set(eventTypes)];
  await db.webhookEndpoint.create({
    data: { id, url, eventTypes: types, secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId, createdById: actor.type === "USER" ? actor.id : null },
  });
  await recordAuditEvent(db, { actor, action: "webhook_endpoint.created", data: { id, url, eventTypes: types } });
  return { id, url, secret };
}

export async function setWebhookEndpointEnabled({ actor, id, enabled }: { actor: Actor; id: string; enabled: boolean }) {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { url: true } });
  const { count } = await db.webhookEndpoint.updateMany({ where: { id, enabled: !enabled }, data: { enabled } });
  if (!endpoint || count === 0) throw new AppError("NOT_FOUND", `Webhook endpoint not found or already ${enabled ? "enabled" : "disabled"}`);
  await recordAuditEvent(db, { actor, action: enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", data: { id, url: endpoint.url } });
  return endpoint;
}

/** Deletes the endpoint with its deliveries; the events stay for other endpoints. */
export async function deleteWebhookEndpoint({ actor, id }: { actor: Actor; id: string }) {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { url: true } });
  const deleted = await db.webhookEndpoint.deleteMany({ where: { id } });
  if (!endpoint || deleted.count === 0) throw new AppError("NOT_FOUND", "Webhook endpoint not found");
  await recordAuditEvent(db, { actor, action: "webhook_endpoint.deleted", data: { id, url: endpoint.url } });
}
