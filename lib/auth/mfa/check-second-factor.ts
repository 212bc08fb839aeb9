import { db } from "@/lib/db";
import { hashRecoveryCode, normalizedRecoveryCode } from "./recovery-codes";
import { openTotpSecret, totpCodeOf, totpStep } from "./totp";

// After this many wrong codes in a row, the second factor waits LOCK_MS: no unlimited guessing.
export const MAX_MFA_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

export type SecondFactorOutcome =
  | { ok: true; method: "totp" | "recovery" }
  | { ok: false; reason: "locked" | "wrong-code"; lockedNow: boolean };

const unlocked = (now: Date) => ({ OR: [{ mfaLockedUntil: null }, { mfaLockedUntil: { lte: now } }] });

/**
 * Checks a TOTP code (or, when allowed, a recovery code) of a user with TOTP enabled. As with
 * passwords, the attempt is counted as a failure before the code is checked, in the statement that
 * checks the lock, so parallel guesses cannot outnumber the limit. A TOTP code is accepted only for
 * a time step later than the last accepted one (never twice); a recovery code only while unused.
 */
export async function checkSecondFactor(userId: string, input: string, { allowRecovery }: { allowRecovery: boolean }): Promise<SecondFactorOutcome> {
  const now = new Date();
  const [user] = await db.user.updateManyAndReturn({
    where: { id: userId, totpEnabledAt: { not: null }, mfaFailures: { lt: MAX_MFA_FAILURES }, ...unlocked(now) },
    data: { mfaFailures: { increment: 1 } },
    select: { id: true, totpSecretCiphertext: true, totpSecretKeyId: true },
  });
  if (!user?.totpSecretCiphertext || !user.totpSecretKeyId) return { ok: false, reason: "locked", lockedNow: false };
  const method = await accepted(user.id, user.totpSecretCiphertext, user.totpSecretKeyId, input.slice(0, 64), allowRecovery, now);
  if (method) {
    await db.user.updateMany({ where: { id: user.id }, data: { mfaFailures: 0, mfaLockedUntil: null } });
    return { ok: true, method };
  }
  const locked = await db.user.updateMany({
    where: { id: user.id, mfaFailures: { gte: MAX_MFA_FAILURES } },
    data: { mfaFailures: 0, mfaLockedUntil: new Date(now.getTime() + LOCK_MS) },
  });
  return { ok: false, reason: "wrong-code", lockedNow: locked.count === 1 };
}

async function accepted(userId: string, ciphertext: string, keyId: string, input: string, allowRecovery: boolean, now: Date) {
  const code = totpCodeOf(input);
  if (code) {
    const step = totpStep(openTotpSecret(userId, ciphertext, keyId), code, now.getTime());
    if (step === null) return null;
    const claimed = await db.user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return claimed.count === 1 ? ("totp" as const) : null;
  }
  const recovery = allowRecovery ? normalizedRecoveryCode(input) : null;
  if (!recovery) return null;
  const used = await db.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(recovery), usedAt: null }, data: { usedAt: now } });
  return used.count === 1 ? ("recovery" as const) : null;
}
