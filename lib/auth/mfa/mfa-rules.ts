import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";

/** Whether every vendor staff member must use a second factor. */
export async function vendorMfaRequired() {
  return (await db.vendorSettings.findUnique({ where: { id: "vendor" } }))?.requireMfa ?? false;
}

/** A vendor owner requires (or stops requiring) MFA for the vendor team. */
export async function setVendorMfaRule({ actor, requireMfa, context }: { actor: Actor; requireMfa: boolean; context: SignInContext }) {
  await db.$transaction(async (tx) => {
    await tx.vendorSettings.upsert({ where: { id: "vendor" }, create: { id: "vendor", requireMfa }, update: { requireMfa } });
    await auditSignInSecurity(tx, actor, "vendor.mfa_rule_changed", { customerId: null }, context, { requireMfa });
  });
}

export async function customerMfaRequired(customerId: string) {
  return (await db.customer.findUnique({ where: { id: customerId }, select: { requireMfa: true } }))?.requireMfa ?? false;
}

/** Whether a rule requires this user (vendor staff or a customer's user) to use a second factor. */
export const mfaRequiredFor = (user: { customerId: string | null }) => (user.customerId ? customerMfaRequired(user.customerId) : vendorMfaRequired());

/** A customer owner requires (or stops requiring) MFA for its organisation. */
export async function setCustomerMfaRule({ actor, customerId, requireMfa, context }: { actor: Actor; customerId: string; requireMfa: boolean; context: SignInContext }) {
  await db.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customerId }, data: { requireMfa } });
    await auditSignInSecurity(tx, actor, "customer.mfa_rule_changed", { customerId }, context, { requireMfa });
  });
}
