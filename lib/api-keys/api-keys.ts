import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashToken, newSecretToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const KEY_PREFIX = "pgk_";

export const apiKeyInputSchema = z.object({ label: z.string().trim().min(1, "Label is required").max(80) });

/** Creates a key for the v1 API. The key is returned once; only its SHA-256 is stored. */
export async function createApiKey({ actor, input }: { actor: Actor; input: z.input<typeof apiKeyInputSchema> }) {
  const { label } = apiKeyInputSchema.parse(input);
  const { token, hash } = newSecretToken(KEY_PREFIX);
  const key = await db.apiKey.create({
    data: { label, prefix: token.slice(0, KEY_PREFIX.length + 6), hash, createdById: actor.type === "USER" ? actor.id : null },
  });
  await recordAuditEvent(db, { actor, action: "api_key.created", data: { id: key.id, label } });
  return { id: key.id, label, key: token };
}

export async function revokeApiKey({ actor, id }: { actor: Actor; id: string }) {
  const revoked = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (revoked.count === 0) throw new AppError("NOT_FOUND", "API key not found or already revoked");
  await recordAuditEvent(db, { actor, action: "api_key.revoked", data: { id } });
}

/** The actor behind an `Authorization: Bearer pgk_...` header, or null. */
export async function authenticateApiKey(authorization: string | null): Promise<Extract<Actor, { type: "API_KEY" }> | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token?.startsWith(KEY_PREFIX)) return null;
  const key = await db.apiKey.findUnique({ where: { hash: hashToken(token) }, select: { id: true, label: true, revokedAt: true } });
  if (!key || key.revokedAt) return null;
  // "Last used" to the minute: a busy integration should not write a row on every request.
  const now = new Date();
  await db.apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { type: "API_KEY", id: key.id, label: `api-key:${key.label}` };
}
