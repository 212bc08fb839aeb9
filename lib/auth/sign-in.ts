import { db } from "@/lib/db";
import { hashToken } from "./tokens";
import { verifyPassword } from "./password";

export type SignedInUser = { id: string; email: string; name: string | null; role: string; customerId: string | null; epoch: number };

const publicFields = { id: true, email: true, name: true, role: true, customerId: true, sessionEpoch: true } as const;

function toSignedIn(u: { id: string; email: string; name: string | null; role: string; customerId: string | null; sessionEpoch: number }): SignedInUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, customerId: u.customerId, epoch: u.sessionEpoch };
}

export async function signInWithPassword(email: string, password: string): Promise<SignedInUser | null> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { ...publicFields, passwordHash: true },
  });
  // Verify against a dummy hash when the user is unknown so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.passwordHash) return null;
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
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
