import { revokeKeysOwnedBy } from "@/lib/api-keys/api-keys";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { endRevokedTokenSessions } from "@/lib/provisioning/broker-denies";
import { revokePullTokensOf } from "@/lib/provisioning/revoke-pull-tokens";
import { lockOwners, refuseLastOwner } from "./owners";
import { removeWithheldInvitation } from "./withheld-invitations";

const GONE = "User not found. They may have been removed already.";

type RemoveOptions = {
  actor: Actor;
  /** The customer the user belongs to, or null for the vendor team. */
  customerId: string | null;
  userId: string;
};

/**
 * Deletes a user of the scope. Their sessions end at once, because every request re-reads the
 * signed-in user, and the API keys and pull tokens they made are revoked with the removal (the
 * registry credentials those tokens got end at their next pull). The last owner of a scope stays,
 * and nobody removes themself. A user that is not (or no longer) in the scope is NOT_FOUND, so
 * removing twice reports the second as NOT_FOUND. A customer's withheld invitation listed with its
 * users is removed alike.
 */
export async function removeUser({ actor, customerId, userId }: RemoveOptions) {
  if (actor.type === "USER" && actor.id === userId) {
    throw new AppError("INVALID_INPUT", "You cannot remove yourself. Ask another owner to remove you.");
  }
  if (customerId !== null) {
    const withheld = await removeWithheldInvitation(actor, customerId, userId);
    if (withheld) return withheld;
  }
  const { user, revokedTokens } = await db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, customerId);
    // Matched on the scope as well as the id, so a forged id of another scope's user finds nothing.
    const where = { id: userId, customerId };
    const user = await tx.user.findFirst({ where, select: { id: true, email: true, role: true } });
    if (!user) throw new AppError("NOT_FOUND", GONE);
    refuseLastOwner(owners, customerId, user);
    // Before the delete, which would only clear the keys' owner: revoked, they carry the reason.
    await revokeKeysOwnedBy(tx, { actor, ownerId: user.id, reason: "Its owner was removed from the team" });
    const revokedTokens =
      customerId === null ? [] : await revokePullTokensOf(tx, { actor, customerId, createdById: user.id, reason: "Its maker was removed from the organisation" });
    // A concurrent removal of the same user may have won since the read above.
    const deleted = await tx.user.deleteMany({ where });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", GONE);
    await recordAuditEvent(tx, { actor, action: "user.removed", customerId, data: { userId: user.id, email: user.email, role: user.role } });
    return { user, revokedTokens };
  });
  await endRevokedTokenSessions(actor, revokedTokens);
  return user;
}
