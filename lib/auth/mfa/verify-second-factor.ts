import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { SESSION_HOURS } from "../options";
import type { SessionUser } from "../session";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { checkSecondFactor } from "./check-second-factor";

const actorOf = (user: SessionUser) => ({ type: "USER" as const, id: user.id, label: user.email });

/**
 * The second step of a sign-in: a TOTP code or an unused recovery code marks this session (its
 * sid) verified. Wrong codes count toward the second factor's lock.
 */
export async function verifySecondFactor(user: SessionUser, sid: string | null, code: string, context: SignInContext) {
  if (!sid) throw new AppError("UNAUTHENTICATED", "Your session has expired. Sign in again.");
  const outcome = await checkSecondFactor(user.id, code, { allowRecovery: true });
  if (!outcome.ok) {
    await auditSignInSecurity(db, actorOf(user), "user.mfa_failed", user, context, { reason: outcome.reason });
    if (outcome.lockedNow) await auditSignInSecurity(db, actorOf(user), "user.mfa_locked_out", user, context);
    throw new AppError(
      "INVALID_INPUT",
      outcome.reason === "locked"
        ? "Too many wrong codes. Wait 15 minutes and try again."
        : "That code did not work. Enter the current code from your authenticator app, or an unused recovery code.",
    );
  }
  await db.verifiedSession.createMany({ data: [{ sid, userId: user.id, method: outcome.method }], skipDuplicates: true });
  // Sessions older than a session's lifetime are over anyway: each user's list stays short.
  await db.verifiedSession.deleteMany({ where: { userId: user.id, verifiedAt: { lt: new Date(Date.now() - SESSION_HOURS * 3600_000) } } });
  await auditSignInSecurity(db, actorOf(user), "user.mfa_verified", user, context, { method: outcome.method });
  return { method: outcome.method };
}
