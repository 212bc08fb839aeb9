"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { inviteUser } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";
import { guardedAction } from "@/lib/actions/guarded-action";
import { invitationMessage, inviteInput, removalMessage } from "@/app/user-forms";
import { assertIdShaped } from "@/lib/validation/strict-input";
import { headers } from "next/headers";
import { text } from "@/app/form-values";
import { ssoInput, ssoRemovedMessage, ssoSavedMessage } from "@/app/sso-forms";
import { signInContext } from "@/lib/auth/sign-in-context";
import { removeSsoConnection, saveSsoConnection, verifySsoDomain } from "@/lib/auth/sso/configure-sso";

// Customer users are managed by vendor writers (owners and admins); viewers are refused first.

export async function inviteCustomerUserAction(customerId: string, _prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(customerId, "customer");
    return invitationMessage(await inviteUser({ actor: userActor(user), customerId, input: inviteInput(formData) }));
  });
}

/** Both ids are bound on the page; the use case matches them together, so a forged pair removes nothing. */
export async function removeCustomerUserAction(customerId: string, userId: string) {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(customerId, "customer");
    assertIdShaped(userId, "user");
    return removalMessage(await removeUser({ actor: userActor(user), customerId, userId }));
  });
}

/** Sets up (or changes) a customer's identity provider for them; the vendor saving it verifies the domains it lists. */
export async function saveCustomerSsoAction(customerId: string, _prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(customerId, "customer");
    const input = ssoInput(formData);
    const saved = await saveSsoConnection({ actor: userActor(user), scope: { kind: "customer", customerId }, context: signInContext(await headers()), input, verifiedByVendor: true });
    return ssoSavedMessage(saved);
  });
}

/** Removes a customer's identity provider; its users sign in as before. */
export async function removeCustomerSsoAction(customerId: string) {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(customerId, "customer");
    await removeSsoConnection({ actor: userActor(user), scope: { kind: "customer", customerId }, context: signInContext(await headers()) });
    return ssoRemovedMessage;
  });
}

/** Verifies one of this customer's email domains, so its users are routed to the customer's provider. */
export async function verifyCustomerSsoDomainAction(customerId: string, _prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(customerId, "customer");
    const domain = (text(formData, "domain") ?? "").toLowerCase();
    await verifySsoDomain({ actor: userActor(user), customerId, domain, context: signInContext(await headers()) });
    return `${domain} is verified: its users now sign in through the customer's identity provider.`;
  });
}
