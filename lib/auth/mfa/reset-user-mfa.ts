import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { clearedMfa } from "./remove-totp";

/**
 * An owner resets a user's MFA (a lost device): TOTP, passkeys and recovery codes are gone and every
 * session of the user ends. The scope is part of the query: a vendor owner reaches vendor staff
 * (customerId null), a customer owner only its own organisation's users.
 */
export async function resetUserMfa({ actor, scope, userId, context }: { actor: Actor; scope: { customerId: string | null }; userId: string; context: SignInContext }) {
  return db.$transaction(async (tx) => {
    const [user] = await tx.user.updateManyAndReturn({
      where: { id: userId, customerId: scope.customerId },
      data: { ...clearedMfa, sessionEpoch: { increment: 1 } },
      select: { id: true, email: true, customerId: true },
    });
    if (!user) throw new AppError("NOT_FOUND", "User not found. They may have been removed.");
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.passkey.deleteMany({ where: { userId: user.id } });
    await tx.verifiedSession.deleteMany({ where: { userId: user.id } });
    await auditSignInSecurity(tx, actor, "user.mfa_reset", user, context);
    return user;
  });
}
