import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Ends every session of the user, in every browser: sessions carry the epoch they were signed in
 * with, and each request compares it with the user's current one (see currentUser). Links already
 * mailed expire too (kept, not deleted, so they still count against the link limit).
 */
export async function signOutEverywhere({ actor, userId }: { actor: Actor; userId: string }) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId }, data: { sessionEpoch: { increment: 1 } } });
    if (count === 0) throw new AppError("NOT_FOUND", "User not found. They may have been removed.");
    const now = new Date();
    const links = await tx.loginToken.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, customerId: true } });
    await recordAuditEvent(tx, {
      actor,
      action: "user.signed_out_everywhere",
      customerId: user.customerId,
      data: { userId: user.id, email: user.email, linksVoided: links.count },
    });
    return user;
  });
}
