import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { hashToken } from "./tokens";

/**
 * Sign-in attempts (passwords and link requests) allowed per window, per email address and per
 * client address. Well above what a person needs: the address limit stops a flood at one inbox or
 * account (the lockout already stops guessing), the client limit one source trying many accounts.
 */
export const SIGN_IN_RATE_LIMIT = { perAddress: 20, perClient: 100, windowMs: 15 * 60_000 };

/**
 * Counts one attempt for the address and, when known, the client, in one atomic upsert per key
 * (so parallel attempts and every app instance count alike); false once either is over its limit.
 * The user table is not read: the answer is the same for an address nobody has.
 */
export async function countSignInAttempt(email: string, client: string | null, now = new Date()): Promise<boolean> {
  const windowStart = new Date(Math.floor(now.getTime() / SIGN_IN_RATE_LIMIT.windowMs) * SIGN_IN_RATE_LIMIT.windowMs);
  const limits = [{ key: hashToken(`address:${email}`), limit: SIGN_IN_RATE_LIMIT.perAddress }];
  if (client) limits.push({ key: hashToken(`client:${client}`), limit: SIGN_IN_RATE_LIMIT.perClient });
  const rows = await db.$queryRaw<{ key: string; attempts: number }[]>`
    INSERT INTO "SignInRateWindow" (key, "windowStart", attempts)
    VALUES ${Prisma.join(limits.map(({ key }) => Prisma.sql`(${key}, ${windowStart}, 1)`))}
    ON CONFLICT (key, "windowStart") DO UPDATE SET attempts = "SignInRateWindow".attempts + 1
    RETURNING key, attempts`;
  return limits.every(({ key, limit }) => (rows.find((row) => row.key === key)?.attempts ?? 1) <= limit);
}

/** Drops counters of windows long past (the minute sweep calls this). */
export async function deletePastSignInWindows(now = new Date()) {
  const { count } = await db.signInRateWindow.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 2 * SIGN_IN_RATE_LIMIT.windowMs) } } });
  return count;
}
