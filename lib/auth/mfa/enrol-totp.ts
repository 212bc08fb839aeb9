import QRCode from "qrcode";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "../session";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { mfaRequiredFor } from "./mfa-rules";
import { hashRecoveryCode, newRecoveryCodes, normalizedRecoveryCode } from "./recovery-codes";
import { newSealedTotpSecret, openTotpSecret, totpCodeOf, totpStep, totpUri } from "./totp";

export type MfaStatusView =
  | { enabled: true; enabledAt: Date; recoveryCodesLeft: number; required: boolean }
  | { enabled: false; secret: string; uri: string; qrSvg: string; required: boolean };

/**
 * The user's MFA status for the security page. A user without TOTP gets a pending secret to scan:
 * created once (a conditional update, so two tabs share one), sealed, and not counted until a code
 * from it is confirmed.
 */
export async function mfaStatusView(user: SessionUser): Promise<MfaStatusView> {
  const isRequired = await mfaRequiredFor(user);
  const fields = { totpEnabledAt: true, totpSecretCiphertext: true, totpSecretKeyId: true } as const;
  let row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: fields });
  if (row.totpEnabledAt) {
    const left = await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
    return { enabled: true, enabledAt: row.totpEnabledAt, recoveryCodesLeft: left, required: isRequired };
  }
  if (!row.totpSecretCiphertext) {
    const sealed = newSealedTotpSecret(user.id);
    await db.user.updateMany({
      where: { id: user.id, totpEnabledAt: null, totpSecretCiphertext: null },
      data: { totpSecretCiphertext: sealed.ciphertext, totpSecretKeyId: sealed.keyId },
    });
    row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: fields });
  }
  const secret = openTotpSecret(user.id, row.totpSecretCiphertext!, row.totpSecretKeyId!);
  const uri = totpUri(secret, user.email);
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { enabled: false, secret, uri, qrSvg, required: isRequired };
}

/**
 * Confirms the pending secret with a code from the app: TOTP is on, this session counts as
 * verified, and ten recovery codes are returned this once (only their hashes are kept).
 */
export async function confirmTotpEnrolment(user: SessionUser, sid: string | null, input: string, context: SignInContext) {
  const code = totpCodeOf(input);
  if (!code) throw new AppError("INVALID_INPUT", "Enter the 6-digit code your authenticator app shows.");
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true, totpSecretCiphertext: true, totpSecretKeyId: true } });
  if (row.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  if (!row.totpSecretCiphertext || !row.totpSecretKeyId) throw new AppError("CONFLICT", "Reload the page to get a new code to scan.");
  const now = new Date();
  const step = totpStep(openTotpSecret(user.id, row.totpSecretCiphertext, row.totpSecretKeyId), code, now.getTime());
  if (step === null) throw new AppError("INVALID_INPUT", "That code did not work. Check the time on your phone and enter the current code.");
  const codes = newRecoveryCodes();
  await db.$transaction(async (tx) => {
    // Only the secret that was checked, and only once: a parallel confirmation or reset changes nothing.
    const enabled = await tx.user.updateMany({
      where: { id: user.id, totpEnabledAt: null, totpSecretCiphertext: row.totpSecretCiphertext },
      data: { totpEnabledAt: now, totpLastStep: step, mfaFailures: 0, mfaLockedUntil: null },
    });
    if (enabled.count !== 1) throw new AppError("CONFLICT", "Two-factor authentication changed meanwhile. Reload the page.");
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId: user.id, codeHash: hashRecoveryCode(normalizedRecoveryCode(c)!) })) });
    if (sid) await tx.verifiedSession.createMany({ data: [{ sid, userId: user.id, method: "enrolment" }], skipDuplicates: true });
    await auditSignInSecurity(tx, { type: "USER", id: user.id, label: user.email }, "user.mfa_enrolled", user, context, { method: "totp" });
  });
  return { recoveryCodes: codes };
}
