import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Actor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import type { Tx } from "@/lib/db";

/**
 * Who bought: the email, and the paying Stripe customer when the purchase came through Stripe;
 * `keyAccess` is how a new customer starts (its product's default access mode).
 */
type Buyer = { email: string; name?: string; stripeCustomerId?: string; keyAccess?: boolean };

/**
 * The customer organisation a purchase belongs to, by a verified identity: the Stripe customer
 * that paid before, else a user of that email who is not a pending invitation (an owner created by
 * a purchase, or an invited user who signed in). Anything else is a new customer with the email as
 * its owner user. Vendor staff emails are refused.
 *
 * An invitation nobody accepted proves nothing about who owns the address, since a customer owner
 * may invite any address without its consent: the buyer gets their own customer, and the pending
 * invitation is withdrawn from the inviter's customer (audited there).
 */
export async function findOrCreateCustomer(tx: Tx, actor: Actor, buyer: Buyer) {
  const { email, name, stripeCustomerId, keyAccess = true } = buyer;
  if (stripeCustomerId) {
    const payer = await tx.customer.findUnique({ where: { stripeCustomerId }, select: { id: true } });
    if (payer) return { customerId: payer.id, created: false };
  }
  const user = await tx.user.findUnique({ where: { email }, select: { id: true, customerId: true, email: true, invitedAt: true, lastLoginAt: true } });
  if (user && !user.customerId) throw new AppError("INVALID_INPUT", `${email} belongs to a vendor administrator, not a customer`);
  if (user?.customerId && !isPendingInvitation(user)) {
    if (stripeCustomerId) {
      // The first Stripe purchase of a customer binds its payer, unless the customer already has one.
      await tx.customer.updateMany({ where: { id: user.customerId, stripeCustomerId: null }, data: { stripeCustomerId } });
    }
    return { customerId: user.customerId, created: false };
  }
  if (user?.customerId) await withdrawInvitation(tx, actor, { ...user, customerId: user.customerId });
  const customer = await tx.customer.create({
    data: {
      name: name ?? email.split("@")[1] ?? email,
      stripeCustomerId: stripeCustomerId ?? null,
      keyAccess,
      users: { create: { email, name: name ?? null, role: "CUSTOMER_OWNER" } },
    },
    select: { id: true },
  });
  return { customerId: customer.id, created: true };
}

const isPendingInvitation = (user: { invitedAt: Date | null; lastLoginAt: Date | null }) => user.invitedAt !== null && user.lastLoginAt === null;

/** Removes a never-accepted invitation, voiding its sign-in links with it. */
async function withdrawInvitation(tx: Tx, actor: Actor, user: { id: string; email: string; customerId: string }) {
  const { count } = await tx.user.deleteMany({ where: { id: user.id, lastLoginAt: null } });
  // Accepted since it was read: the address is now the inviter's, so the purchase must be routed again.
  if (count === 0) throw new AppError("CONFLICT", `${user.email} accepted an invitation just now; send the purchase again`);
  await recordAuditEvent(tx, {
    actor,
    action: "user.invitation_withdrawn",
    customerId: user.customerId,
    data: { userId: user.id, email: user.email, reason: "The address bought on its own before accepting the invitation" },
  });
}
