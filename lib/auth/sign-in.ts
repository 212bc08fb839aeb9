import { db } from "@/lib/db";
import { hashToken } from "./tokens";
import { verifyPassword } from "./password";

export type SignedInUser = { id: string; email: string; name: string | null; role: string; customerId: string | null; epoch: number };

const publicFields = { id: true, email: true, name: true, role: true, customerId: true, sessionEpoch: true } as const;

function toSignedIn(u: { id: string; email: string; name: string | null; role: string; customerId: string | null; sessionEpoch: number }): SignedInUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, customerId: u.customerId, epoch: u.sessionEpoch };
}

// After this many wrong passwords in a row, password sign-in waits LOCK_MS (sign-in links still work).
export const MAX_FAILED_LOGINS = 5;
const LOCK_MS = 15 * 60_000;

export async function signInWithPassword(email: string, password: string): Promise<SignedInUser | null> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { ...publicFields, passwordHash: true, lockedUntil: true },
  });
  const now = new Date();
  // Verify against a dummy hash when the user is unknown or locked, so timing reveals neither.
  const usable = user?.passwordHash && !(user.lockedUntil && user.lockedUntil > now);
  const ok = await verifyPassword(password, usable ? user.passwordHash : DUMMY_HASH);
  if (!user || !usable) return null;
  if (!ok) {
    const failed = await db.user.update({
      where: { id: user.id },
      data: { failedLogins: { increment: 1 } },
      select: { failedLogins: true },
    });
    if (failed.failedLogins >= MAX_FAILED_LOGINS) {
      await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MS) } });
    }
    return null;
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: now, failedLogins: 0, lockedUntil: null } });
  return toSignedIn(user);
}

/** Consumes a one-time sign-in link: valid, unexpired and unused, and only once. */
export async function signInWithLink(token: string): Promise<SignedInUser | null> {
  const now = new Date();
  const consumed = await db.loginToken.updateMany({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (consumed.count !== 1) return null;
  const row = await db.loginToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) }, select: { user: { select: publicFields } } });
  await db.user.update({ where: { id: row.user.id }, data: { lastLoginAt: now } });
  return toSignedIn(row.user);
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
