import { systemActor, type Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { randomBytes } from "node:crypto";
import { checkPasskeyAssertion } from "./passkeys/check-passkey";
import { bindingFromCookieHeader, bindingHash } from "./sso/sso-browser-binding";
import { hashToken } from "./tokens";
import { verifyPassword } from "./password";
import type { SignInContext } from "./sign-in-context";
import { countSignInAttempt } from "./sign-in-rate-limit";
import { emailOrNull } from "@/lib/validation/strict-input";

// sid is set only by a sign-in that is verified at once (a passkey): the session is recorded under it.
export type SignedInUser = { id: string; email: string; name: string | null; role: string; customerId: string | null; epoch: number; sid?: string };

const publicFields = { id: true, email: true, name: true, role: true, customerId: true, sessionEpoch: true } as const;

type PublicUser = { id: string; email: string; name: string | null; role: string; customerId: string | null; sessionEpoch: number };

function toSignedIn(u: PublicUser): SignedInUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, customerId: u.customerId, epoch: u.sessionEpoch };
}

// After this many wrong passwords in a row, password sign-in waits LOCK_MS (sign-in links still work).
export const MAX_FAILED_LOGINS = 5;
const LOCK_MS = 15 * 60_000;

type Attempt = { method: "password" | "link" | "passkey" | "sso"; context: SignInContext };
type AuditedUser = { id: string; email: string; customerId: string | null };
type Outcome =
  | { action: "user.signed_in" | "user.locked_out"; user: AuditedUser }
  | { action: "user.sign_in_failed"; reason: string; user?: AuditedUser; email?: string };

/** Every sign-in, refusal and lockout, with where it came from. */
async function audit({ method, context }: Attempt, outcome: Outcome) {
  const { user } = outcome;
  const actor: Actor = outcome.action === "user.signed_in" ? { type: "USER", id: outcome.user.id, label: outcome.user.email } : systemActor("sign-in");
  await recordAuditEvent(db, {
    actor,
    action: outcome.action,
    customerId: user?.customerId,
    data: {
      method,
      ...(user ? { userId: user.id, email: user.email } : {}),
      ...("email" in outcome ? { email: outcome.email } : {}),
      ...("reason" in outcome ? { reason: outcome.reason } : {}),
      ip: context.ip,
      userAgent: context.userAgent,
    },
  });
}

const unlocked = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] });

/**
 * Every attempt is counted as a failure before its password is checked, in the same statement
 * that checks the lock, and only while fewer than MAX_FAILED_LOGINS are counted: parallel guesses
 * cannot outnumber the limit, and a right password that finds the account locked meanwhile is
 * refused. A right password then clears the count.
 */
export async function signInWithPassword(email: string, password: string, context: SignInContext): Promise<SignedInUser | null> {
  const attempt: Attempt = { method: "password", context };
  const address = emailOrNull(email);
  const now = new Date();
  // No user has such an address (lib/validation reads it as every form does), so nothing is counted or kept of it.
  if (!address) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "invalid-email" });
    return null;
  }
  if (!(await countSignInAttempt(address, context.ip, now))) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "rate-limited", email: address });
    return null;
  }
  const [user] = await db.user.updateManyAndReturn({
    where: { email: address, passwordHash: { not: null }, failedLogins: { lt: MAX_FAILED_LOGINS }, ...unlocked(now) },
    data: { failedLogins: { increment: 1 } },
    select: { ...publicFields, passwordHash: true },
  });
  // Verify against a dummy hash when the user is unknown or locked, so timing reveals neither.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user) {
    await audit(attempt, await refusal(address));
    return null;
  }
  if (!ok) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "wrong-password", user });
    const locked = await db.user.updateMany({
      where: { id: user.id, failedLogins: { gte: MAX_FAILED_LOGINS } },
      data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MS) },
    });
    if (locked.count === 1) await audit(attempt, { action: "user.locked_out", user });
    return null;
  }
  if (await barredBySsoOnly(user)) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "sso-only", user });
    return null;
  }
  const signedIn = await db.user.updateMany({ where: { id: user.id, ...unlocked(now) }, data: { lastLoginAt: now, lastSignInMethod: "password", failedLogins: 0, lockedUntil: null } });
  if (signedIn.count === 0) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "locked", user });
    return null;
  }
  await audit(attempt, { action: "user.signed_in", user });
  return toSignedIn(user);
}

/**
 * Whether the vendor turned the team's other sign-in methods off (SSO only): staff below owner
 * then sign in through the provider alone; owners keep every method as the break-glass path.
 */
async function barredBySsoOnly(user: { role: string }) {
  if (user.role !== "VENDOR_ADMIN" && user.role !== "VENDOR_VIEWER") return false;
  return (await db.vendorSettings.findUnique({ where: { id: "vendor" }, select: { ssoOnly: true } }))?.ssoOnly === true;
}

/** Why an address got no attempt, for the audit log only (the caller is told nothing). */
async function refusal(address: string): Promise<Outcome> {
  const user = await db.user.findUnique({ where: { email: address }, select: { id: true, email: true, customerId: true, passwordHash: true } });
  if (!user) return { action: "user.sign_in_failed", reason: "unknown", email: address };
  return { action: "user.sign_in_failed", reason: user.passwordHash ? "locked" : "no-password", user };
}

/** Consumes a one-time sign-in link: valid, unexpired and unused, and only once. */
export async function signInWithLink(token: string, context: SignInContext): Promise<SignedInUser | null> {
  const attempt: Attempt = { method: "link", context };
  const now = new Date();
  const consumed = await db.loginToken.updateMany({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (consumed.count !== 1) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "invalid-link" });
    return null;
  }
  const row = await db.loginToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) }, select: { user: { select: publicFields } } });
  if (await barredBySsoOnly(row.user)) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "sso-only", user: row.user });
    return null;
  }
  await db.user.update({ where: { id: row.user.id }, data: { lastLoginAt: now, lastSignInMethod: "link" } });
  await audit(attempt, { action: "user.signed_in", user: row.user });
  return toSignedIn(row.user);
}

/**
 * Signs in with a discoverable passkey alone: the assertion is checked against a challenge this
 * server issued (spent once) with user verification required, so it stands for two factors. The
 * new session's sid is made here and recorded as verified before the session exists.
 */
export async function signInWithPasskey(responseJson: string, context: SignInContext): Promise<SignedInUser | null> {
  const attempt: Attempt = { method: "passkey", context };
  let outcome;
  try {
    outcome = await checkPasskeyAssertion(responseJson, "sign-in", null);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    outcome = { ok: false as const, reason: "unreadable" };
  }
  if (!outcome.ok) {
    await audit(attempt, { action: "user.sign_in_failed", reason: outcome.reason });
    return null;
  }
  const holder = await db.user.findUniqueOrThrow({ where: { id: outcome.userId }, select: { id: true, email: true, role: true, customerId: true } });
  if (await barredBySsoOnly(holder)) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "sso-only", user: holder });
    return null;
  }
  const now = new Date();
  const sid = randomBytes(24).toString("base64url");
  const user = await db.$transaction(async (tx) => {
    const u = await tx.user.update({ where: { id: outcome.userId }, data: { lastLoginAt: now, lastSignInMethod: "passkey" }, select: publicFields });
    await tx.verifiedSession.create({ data: { sid, userId: u.id, method: "passkey" } });
    return u;
  });
  await audit(attempt, { action: "user.signed_in", user });
  return { ...toSignedIn(user), sid };
}

/** How long after the provider's redirect the browser has to finish signing in. */
const SSO_FINISH_MS = 2 * 60_000;

/**
 * Spends the SSO attempt this browser finished at the callback (its binding cookie names it):
 * once, within two minutes. The provider stands for the second factor, so the session is
 * recorded as verified, like a passkey's.
 */
export async function signInWithSso(cookieHeader: string | undefined, context: SignInContext): Promise<SignedInUser | null> {
  const attempt: Attempt = { method: "sso", context };
  const binding = bindingFromCookieHeader(cookieHeader);
  const now = new Date();
  const [spent] = binding
    ? await db.ssoLoginAttempt.updateManyAndReturn({
        where: { browserHash: bindingHash(binding), userId: { not: null }, spentAt: null, completedAt: { gt: new Date(now.getTime() - SSO_FINISH_MS) } },
        data: { spentAt: now },
        select: { userId: true, connectionId: true },
      })
    : [];
  if (!spent) {
    await audit(attempt, { action: "user.sign_in_failed", reason: "no-finished-sso" });
    return null;
  }
  const sid = randomBytes(24).toString("base64url");
  const user = await db.$transaction(async (tx) => {
    const u = await tx.user.update({ where: { id: spent.userId! }, data: { lastLoginAt: now, lastSignInMethod: "sso" }, select: publicFields });
    await tx.verifiedSession.create({ data: { sid, userId: u.id, method: "sso" } });
    await tx.ssoConnection.update({ where: { id: spent.connectionId }, data: { lastSignInAt: now } });
    return u;
  });
  await audit(attempt, { action: "user.signed_in", user });
  return { ...toSignedIn(user), sid };
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
