import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SIGN_IN_LINK_LIMIT } from "@/lib/auth/send-sign-in-link";
import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import type { InvitationAnswer } from "./invitation-answer";

const WITHHELD = "user.invitation_withheld";

type Withheld = { actor: Actor; customerId: string; email: string; role: UserRole; reason: string };

/**
 * Records a customer owner's invitation of an address that belongs elsewhere and answers as for
 * one of the customer's own pending users: new the first time, then "sent" again until the sign-in
 * link limit. Nothing is sent. `sameRole` is the check a pending user gets when invited again.
 */
export async function withholdInvitation(
  { actor, customerId, email, role, reason }: Withheld,
  sameRole: (existing: { email: string; role: UserRole }) => void,
): Promise<InvitationAnswer> {
  return db.$transaction(async (tx) => {
    const created = await tx.withheldInvitation.createMany({ data: { customerId, email, role, sentAt: [new Date()] }, skipDuplicates: true });
    if (created.count === 0) {
      // Locked, so concurrent invitations of the address count their sends one after the other.
      await tx.$queryRaw`SELECT 1 FROM "WithheldInvitation" WHERE "customerId" = ${customerId} AND "email" = ${email} FOR UPDATE`;
      const existing = await tx.withheldInvitation.findUniqueOrThrow({ where: { customerId_email: { customerId, email } } });
      sameRole(existing);
      const windowStart = Date.now() - SIGN_IN_LINK_LIMIT.windowMs;
      const recent = existing.sentAt.filter((at) => at.getTime() > windowStart);
      if (recent.length >= SIGN_IN_LINK_LIMIT.count) return { user: { email }, created: false, email: "rate-limited" };
      await tx.withheldInvitation.update({ where: { id: existing.id }, data: { sentAt: [...recent, new Date()] } });
    }
    await recordAuditEvent(tx, { actor, action: WITHHELD, customerId, data: { email, reason } });
    return { user: { email }, created: created.count === 1, email: "sent" };
  });
}

/** The customer's withheld invitations, as its team list shows them: invited, never signed in. */
export function listWithheldInvitations(customerId: string) {
  return db.withheldInvitation.findMany({
    where: { customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, email: true, role: true, createdAt: true },
  });
}

/** Removes one from the customer's list; null when it is not (or no longer) there. */
export async function removeWithheldInvitation(actor: Actor, customerId: string, id: string) {
  return db.$transaction(async (tx) => {
    const removed = await tx.withheldInvitation.findFirst({ where: { id, customerId }, select: { id: true, email: true, role: true } });
    // A concurrent removal may win between the read and the delete.
    if (!removed || (await tx.withheldInvitation.deleteMany({ where: { id, customerId } })).count === 0) return null;
    await recordAuditEvent(tx, { actor, action: "user.invitation_withdrawn", customerId, data: { email: removed.email } });
    return removed;
  });
}
