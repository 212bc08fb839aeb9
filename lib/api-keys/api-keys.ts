import { z } from "zod";
import { isSaneInstant, strictInstant, strictText } from "@/lib/validation/strict-input";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { VENDOR_WRITER_ROLES } from "@/lib/auth/roles";
import { hashToken, newSecretToken } from "@/lib/auth/tokens";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ApiKeyScope, type UserRole } from "@/lib/generated/prisma/enums";
import { addDays } from "@/lib/time/days";

const KEY_PREFIX = "pgk_";

/** The furthest expiry a key may get: a year, counted so that the same date next year always fits. */
export const MAX_API_KEY_DAYS = 366;

export const apiKeyScopeLabels: Record<ApiKeyScope, string> = {
  READ: "Read only (GET)",
  READ_WRITE: "Read and write",
};

export const apiKeyInputSchema = z.object({
  label: strictText(80).pipe(z.string().min(1, "Label is required")),
  // Least privilege unless a write scope is asked for: a leaked read key cannot change access.
  scope: z.string().pipe(z.enum(ApiKeyScope, { error: "Choose read only or read and write" })).default("READ"),
  // A form sends the day as text (ISO 8601 only, a real calendar day); code passes a Date.
  expiresAt: z
    .union([z.date().refine(isSaneInstant), z.string().pipe(strictInstant("expiresAt"))], { error: "Choose a valid expiry date" })
    .optional(),
});

type KeyState = { ownedByUser: boolean; createdById: string | null; expiresAt: Date | null; revokedAt: Date | null };

/** Whether a key works now, and if not why: the one rule for authentication and the admin page. */
export function apiKeyStatus(key: KeyState, now: Date): "active" | "revoked" | "expired" | "owner-removed" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  // Its owner was deleted without the key being revoked with them (any other path that deletes users).
  if (key.ownedByUser && !key.createdById) return "owner-removed";
  return "active";
}

const mayOwnKeys = (role: UserRole) => VENDOR_WRITER_ROLES.includes(role);

/**
 * Creates a key for the v1 API. The key is returned once; only its SHA-256 is stored. A user's key
 * is theirs: it is revoked when they leave the team or lose the role that let them make it.
 */
export async function createApiKey({ actor, input, now = new Date() }: { actor: Actor; input: z.input<typeof apiKeyInputSchema>; now?: Date }) {
  const { label, scope, expiresAt } = apiKeyInputSchema.parse(input);
  if (expiresAt && (expiresAt <= now || expiresAt > addDays(now, MAX_API_KEY_DAYS))) {
    const message = "The expiry must be in the future and at most a year ahead";
    throw new AppError("INVALID_INPUT", message, [{ path: "expiresAt", message }]);
  }
  const { token, hash } = newSecretToken(KEY_PREFIX);
  const ownerId = actor.type === "USER" ? actor.id : null;
  const key = await db.$transaction(async (tx) => {
    if (ownerId) {
      // Shared lock on the owner: a removal or demotion running now either waits for this key (and
      // then revokes it) or finishes first (and this refuses).
      const [owner] = await tx.$queryRaw<{ role: UserRole }[]>`SELECT role FROM "User" WHERE id = ${ownerId} FOR SHARE`;
      if (!owner || !mayOwnKeys(owner.role)) throw new AppError("FORBIDDEN", "Only the team's owners and admins may create API keys");
    }
    const created = await tx.apiKey.create({
      data: { label, scope, expiresAt, prefix: token.slice(0, KEY_PREFIX.length + 6), hash, createdById: ownerId, ownedByUser: ownerId !== null },
    });
    await recordAuditEvent(tx, { actor, action: "api_key.created", data: { id: created.id, label, scope, expiresAt: expiresAt?.toISOString() ?? null } });
    return created;
  });
  return { id: key.id, label, scope, expiresAt: key.expiresAt, key: token };
}

export async function revokeApiKey({ actor, id }: { actor: Actor; id: string }) {
  const revoked = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (revoked.count === 0) throw new AppError("NOT_FOUND", "API key not found or already revoked");
  await recordAuditEvent(db, { actor, action: "api_key.revoked", data: { id } });
}

/**
 * Revokes the live keys a user made, inside the caller's transaction (their removal or demotion),
 * so the keys stop working the moment the change commits.
 */
export async function revokeKeysOwnedBy(tx: Tx, { actor, ownerId, reason }: { actor: Actor; ownerId: string; reason: string }) {
  const keys = await tx.apiKey.findMany({ where: { createdById: ownerId, revokedAt: null }, select: { id: true, label: true } });
  if (keys.length === 0) return;
  await tx.apiKey.updateMany({ where: { id: { in: keys.map((k) => k.id) } }, data: { revokedAt: new Date(), revokedReason: reason } });
  for (const key of keys) await recordAuditEvent(tx, { actor, action: "api_key.revoked", data: { id: key.id, label: key.label, reason } });
}

/** Revokes the user's keys when their new role may not make keys. */
export async function revokeKeysOnRoleChange(tx: Tx, { actor, ownerId, role }: { actor: Actor; ownerId: string; role: UserRole }) {
  if (mayOwnKeys(role)) return;
  await revokeKeysOwnedBy(tx, { actor, ownerId, reason: "Its owner's role no longer allows API keys" });
}

export type ApiKeyCaller = { actor: Extract<Actor, { type: "API_KEY" }>; scope: ApiKeyScope };

/** The key behind an `Authorization: Bearer pgk_...` header, or null when there is none that works. */
export async function authenticateApiKey(authorization: string | null): Promise<ApiKeyCaller | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token?.startsWith(KEY_PREFIX)) return null;
  const key = await db.apiKey.findUnique({
    where: { hash: hashToken(token) },
    select: { id: true, label: true, scope: true, ownedByUser: true, createdById: true, expiresAt: true, revokedAt: true },
  });
  const now = new Date();
  if (!key || apiKeyStatus(key, now) !== "active") return null;
  // "Last used" to the minute: a busy integration should not write a row on every request.
  await db.apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { actor: { type: "API_KEY", id: key.id, label: `api-key:${key.label}` }, scope: key.scope };
}
