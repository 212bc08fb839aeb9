import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { SESSION_HOURS } from "../options";
import type { SessionUser } from "../session";
import type { SignInContext } from "../sign-in-context";
import { checkPasskeyAssertion } from "./check-passkey";

const actorOf = (user: SessionUser) => ({ type: "USER" as const, id: user.id, label: user.email });

/** The second step of a sign-in with one of the user's own passkeys: marks this session (its sid) verified. */
export async function verifyPasskeySecondFactor(user: SessionUser, sid: string | null, responseJson: unknown, context: SignInContext) {
  if (!sid) throw new AppError("UNAUTHENTICATED", "Your session has expired. Sign in again.");
  const outcome = await checkPasskeyAssertion(responseJson, "second-factor", user.id);
  if (!outcome.ok) {
    await auditSignInSecurity(db, actorOf(user), "user.mfa_failed", user, context, { method: "passkey", reason: outcome.reason });
    throw new AppError("INVALID_INPUT", "That passkey did not work. Try again, or use a code from your authenticator app.");
  }
  await db.verifiedSession.createMany({ data: [{ sid, userId: user.id, method: "passkey" }], skipDuplicates: true });
  await db.verifiedSession.deleteMany({ where: { userId: user.id, verifiedAt: { lt: new Date(Date.now() - SESSION_HOURS * 3600_000) } } });
  await auditSignInSecurity(db, actorOf(user), "user.mfa_verified", user, context, { method: "passkey", passkeyId: outcome.passkeyId });
  return { method: "passkey" as const };
}
