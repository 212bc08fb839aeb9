import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import { roleLabels, roleSchema } from "./roles";
import type { InvitationAnswer, InvitationEmail } from "./invitation-answer";
import { withholdInvitation } from "./withheld-invitations";
import { strictEmail, strictText } from "@/lib/validation/strict-input";

const inviteSchema = (customerId: string | null) =>
  z.object({
    email: z.string({ error: "Enter an email address" }).pipe(strictEmail("Enter a valid email address")),
    name: z.string().max(200, "Keep the name under 200 characters").pipe(strictText(200)).optional(),
    role: roleSchema(customerId),
  });

export type InviteInput = z.input<ReturnType<typeof inviteSchema>>;


type InviteOptions = {
  actor: Actor;
  /** The customer the user joins, or null for the vendor team. */
  customerId: string | null;
  input: InviteInput;
};

const memberFields = { id: true, email: true, name: true, role: true, customerId: true } as const;

/**
 * Adds a user to a customer or to the vendor team and emails them a sign-in link. Inviting the same
 * email again with the same role changes nothing and sends the email again; an email that already
 * belongs elsewhere (another customer, or vendor staff versus customer) is refused, naming where:
 * for the vendor only (customer owners invite through inviteToOwnCustomer).
 */
export async function inviteUser({ actor, customerId, input }: InviteOptions) {
  const data = inviteSchema(customerId).parse(input);
  if (customerId !== null && !(await db.customer.findUnique({ where: { id: customerId }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", "Customer not found");
  }
  const { user, created } = await findOrCreateMember(actor, customerId, data);
  const email = await sendInvitation(user, customerId);
  // Creation is audited with the user; a repeated invitation only issues a new sign-in link.
  if (!created && email === "sent") {
    await recordAuditEvent(db, { actor, action: "user.invitation_resent", customerId, data: { userId: user.id, email: user.email } });
  }
  return { user, created, email };
}


/**
 * A customer owner's invitation to their own customer. An address that belongs to another customer
 * or to the vendor team gets the very answer a new address gets, so the owner learns nothing about
 * who else uses Pullgate: nobody is created and nothing sent, but the team list shows the
 * invitation as pending (withheld-invitations.ts), and the audit log keeps the reason for the vendor.
 */
export async function inviteToOwnCustomer(options: InviteOptions & { customerId: string }): Promise<InvitationAnswer> {
  try {
    return await inviteUser(options);
  } catch (error) {
    if (!(error instanceof MemberElsewhere)) throw error;
    const { actor, customerId, input } = options;
    const { role } = inviteSchema(customerId).parse(input);
    return withholdInvitation({ actor, customerId, email: error.email, role, reason: error.message }, (existing) => refuseOtherRole(existing, customerId, role));
  }
}

/** The address belongs to another scope: the message names it, for the vendor's eyes only. */
class MemberElsewhere extends AppError {
  constructor(readonly email: string, where: string) {
    super("CONFLICT", `${email} already belongs ${where}. An email address can belong to only one customer or to the vendor team.`);
  }
}

type Member = { email: string; name?: string; role: UserRole };

async function findOrCreateMember(actor: Actor, customerId: string | null, data: Member) {
  for (let attempt = 1; ; attempt++) {
    const existing = await db.user.findUnique({ where: { email: data.email }, select: { ...memberFields, customer: { select: { name: true } } } });
    if (existing) {
      refuseOtherMembership(existing, customerId, data.role);
      return { user: existing, created: false };
    }
    try {
      const user = await db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email: data.email, name: data.name || null, role: data.role, customerId, invitedAt: new Date() }, select: memberFields });
        await recordAuditEvent(tx, { actor, action: "user.invited", customerId, data: { userId: user.id, email: user.email, role: user.role } });
        return user;
      });
      return { user, created: true };
    } catch (error) {
      // A concurrent invitation of the same email created the user first: the next pass finds it.
      if (attempt > 1 || !isUniqueViolation(error)) throw error;
    }
  }
}

function refuseOtherMembership(
  existing: { email: string; role: UserRole; customerId: string | null; customer: { name: string } | null },
  customerId: string | null,
  role: UserRole,
) {
  if (existing.customerId === customerId) return refuseOtherRole(existing, customerId, role);
  throw new MemberElsewhere(existing.email, existing.customer ? `to the customer “${existing.customer.name}”` : "to the vendor team");
}

/** Inviting someone already in the scope again is a resend, unless it asks for another role. */
function refuseOtherRole(existing: { email: string; role: UserRole }, customerId: string | null, role: UserRole) {
  if (existing.role === role) return;
  const current = roleLabels[existing.role];
  throw new AppError(
    "CONFLICT",
    customerId === null
      ? `${existing.email} is already on the team as ${current}. Change their role in the team list instead.`
      : `${existing.email} is already a user of this customer, as ${current}.`,
  );
}

async function sendInvitation(user: { id: string; email: string }, customerId: string | null): Promise<InvitationEmail> {
  try {
    return (await sendSignInLink(user, customerId === null ? "team-invitation" : "invitation")) ? "sent" : "rate-limited";
  } catch (error) {
    // The user stays invited: inviting them again retries the email.
    log().error({ err: error, userId: user.id }, "invitation email failed");
    return "failed";
  }
}
