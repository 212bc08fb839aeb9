import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashToken, newSecretToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { endRevokedTokenSessions } from "@/lib/provisioning/broker-denies";
import { addDays } from "@/lib/time/days";
import { isSaneInstant, strictInstant, strictText } from "@/lib/validation/strict-input";

const TOKEN_PREFIX = "pgp_";
/** Characters shown to tell tokens apart: the prefix and six of the secret. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 6;
/** The furthest expiry a token may get: a year, so a leaked CI secret dies on its own. */
export const MAX_PULL_TOKEN_DAYS = 366;
/** Live tokens one customer may hold: enough for every pipeline and cluster, bounded for the page and the table. */
export const MAX_LIVE_PULL_TOKENS = 50;

export const pullTokenInputSchema = z.object({
  name: strictText(80).pipe(z.string().min(1, "Name the token, e.g. after the cluster or pipeline that uses it")),
  // A form sends the day as text (ISO 8601 only, a real calendar day); code passes a Date.
  expiresAt: z
    .union([z.date().refine(isSaneInstant), z.string().pipe(strictInstant("expiresAt"))], { error: "Choose a valid expiry date" })
    .optional(),
});

type TokenState = { expiresAt: Date | null; revokedAt: Date | null };

/** Whether a token may be exchanged now, and if not why: the one rule for the endpoint and the page. */
export function pullTokenStatus(token: TokenState, now: Date): "active" | "revoked" | "expired" {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt <= now) return "expired";
  return "active";
}

/**
 * Creates a pull token for the owner's customer. The token is returned once; only its SHA-256 is
 * stored. It is the owner's: it is revoked when they leave the organisation.
 */
export async function createPullToken({
  actor,
  customerId,
  input,
  now = new Date(),
}: {
  actor: Extract<Actor, { type: "USER" }>;
  customerId: string;
  input: z.input<typeof pullTokenInputSchema>;
  now?: Date;
}) {
  const { name, expiresAt } = pullTokenInputSchema.parse(input);
  if (expiresAt && (expiresAt <= now || expiresAt > addDays(now, MAX_PULL_TOKEN_DAYS))) {
    const message = "The expiry must be in the future and at most a year ahead";
    throw new AppError("INVALID_INPUT", message, [{ path: "expiresAt", message }]);
  }
  const { token, hash } = newSecretToken(TOKEN_PREFIX);
  const created = await db.$transaction(async (tx) => {
    // The owner's row, locked: a removal running now either waits for this token (and then
    // revokes it) or finishes first (and this finds no owner). Also serializes the count below.
    const [owner] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "User" WHERE id = ${actor.id} AND "customerId" = ${customerId} AND role = 'CUSTOMER_OWNER' FOR UPDATE`;
    if (!owner) throw new AppError("FORBIDDEN", "Only your organisation's owners may create pull tokens");
    const live = await tx.pullToken.count({ where: { customerId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (live >= MAX_LIVE_PULL_TOKENS) throw new AppError("CONFLICT", `You have ${MAX_LIVE_PULL_TOKENS} live pull tokens; revoke one you no longer use first`);
    const row = await tx.pullToken.create({ data: { customerId, name, expiresAt, prefix: token.slice(0, SHOWN_CHARS), hash, createdById: actor.id } });
    await recordAuditEvent(tx, { actor, customerId, action: "pull_token.created", data: { id: row.id, name, expiresAt: expiresAt?.toISOString() ?? null } });
    return row;
  });
  return { id: created.id, name, expiresAt: created.expiresAt, token };
}

/**
 * Revokes one of the customer's tokens, and ends the registry credentials it already got at their
 * next pull; a token of another customer, or one revoked already, is NOT_FOUND.
 */
export async function revokePullToken({ actor, customerId, id }: { actor: Actor; customerId: string; id: string }) {
  const revoked = await db.$transaction(async (tx) => {
    const rows = await tx.pullToken.updateManyAndReturn({
      where: { id, customerId, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { id: true, customerId: true, brokeredUntil: true },
    });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "Pull token not found or already revoked");
    await recordAuditEvent(tx, { actor, customerId, action: "pull_token.revoked", data: { id } });
    return rows;
  });
  await endRevokedTokenSessions(actor, revoked);
}

export type PullTokenCaller = { tokenId: string; customerId: string };

/** The token behind an `Authorization: Bearer pgp_...` header, or null when there is none that works. */
export async function authenticatePullToken(authorization: string | null, now = new Date()): Promise<PullTokenCaller | null> {
  const token = /^Bearer\s+(\S{1,200})$/i.exec(authorization ?? "")?.[1];
  if (!token?.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.pullToken.findUnique({ where: { hash: hashToken(token) }, select: { id: true, customerId: true, expiresAt: true, revokedAt: true } });
  if (!row || pullTokenStatus(row, now) !== "active") return null;
  // "Last used" to the minute: Docker asks on every pull, which should not write a row each time.
  await db.pullToken.updateMany({
    where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { tokenId: row.id, customerId: row.customerId };
}
