import { db } from "@/lib/db";

/** Which second factors the user has, so the second step offers only those. */
export async function secondFactorMethods(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true, _count: { select: { passkeys: true } } } });
  return { totp: user.totpEnabledAt !== null, passkey: user._count.passkeys > 0 };
}
