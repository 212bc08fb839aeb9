import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "../session";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { checkSecondFactor } from "./check-second-factor";
import { mfaRequiredFor } from "./mfa-rules";

export const clearedMfa = {
  totpSecretCiphertext: null,
  totpSecretKeyId: null,
  totpEnabledAt: null,
  totpLastStep: null,
  mfaFailures: 0,
  mfaLockedUntil: null,
} as const;

/** The signed-in user turns TOTP off, proving it with a current code; not while a rule requires it. */
export async function removeTotp(user: SessionUser, code: string, context: SignInContext) {
  if (await mfaRequiredFor(user)) throw new AppError("FORBIDDEN", "Your organisation requires two-factor authentication, so it cannot be turned off.");
  const outcome = await checkSecondFactor(user.id, code, { allowRecovery: false });
  const actor = { type: "USER" as const, id: user.id, label: user.email };
  if (!outcome.ok) {
    await auditSignInSecurity(db, actor, "user.mfa_failed", user, context, { reason: outcome.reason, purpose: "remove" });
    throw new AppError("INVALID_INPUT", outcome.reason === "locked" ? "Too many wrong codes. Wait 15 minutes and try again." : "That code did not work. Enter the current code from your authenticator app.");
  }
  await db.$transaction(async (tx) => {
    await tx.user.updateMany({ where: { id: user.id }, data: clearedMfa });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await auditSignInSecurity(tx, actor, "user.mfa_removed", user, context);
  });
}
