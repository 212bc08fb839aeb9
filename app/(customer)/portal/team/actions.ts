"use server";

import { invitationMessage, inviteInput, removalMessage } from "@/app/user-forms";
import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { inviteToOwnCustomer } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";
import { assertIdShaped } from "@/lib/validation/strict-input";
import { headers } from "next/headers";
import { text } from "@/app/form-values";
import { setCustomerMfaRule } from "@/lib/auth/mfa/mfa-rules";
import { resetUserMfa } from "@/lib/auth/mfa/reset-user-mfa";
import { signInContext } from "@/lib/auth/sign-in-context";
import { removeSsoConnection, saveSsoConnection } from "@/lib/auth/sso/configure-sso";
import { ssoInput, ssoRemovedMessage, ssoSavedMessage } from "@/app/sso-forms";

// Only the customer's owners manage its users, and only its own: the scope is always the signed-in
// owner's customer, never anything from the request. Others are refused before input is read.

const ownerAction = (fn: (user: Awaited<ReturnType<typeof requireCustomerOwner>>) => Promise<string>) =>
  guardedAction(requireCustomerOwner, fn, { path: "/portal/team" });

export async function inviteTeamUserAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction(async (user) =>
    invitationMessage(await inviteToOwnCustomer({ actor: userActor(user), customerId: user.customerId, input: inviteInput(formData) })),
  );
}

/** The user id is bound on the page; the use case matches it within the owner's customer only. */
export async function removeTeamUserAction(userId: string) {
  return ownerAction(async (user) => {
    assertIdShaped(userId, "user");
    return removalMessage(await removeUser({ actor: userActor(user), customerId: user.customerId, userId }));
  });
}

/** Requires (or stops requiring) two-factor authentication for the owner's own organisation. */
export async function setTeamMfaRuleAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction(async (user) => {
    const requireMfa = formData.get("requireMfa") === "on";
    await setCustomerMfaRule({ actor: userActor(user), customerId: user.customerId, requireMfa, context: signInContext(await headers()) });
    return requireMfa ? "Two-factor authentication is now required for your organisation." : "Two-factor authentication is now optional for your organisation.";
  });
}

/** Resets the two-factor authentication of a user of the owner's own organisation (matched within it). */
export async function resetTeamUserMfaAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction(async (user) => {
    const userId = text(formData, "userId") ?? "";
    assertIdShaped(userId, "user");
    const reset = await resetUserMfa({ actor: userActor(user), scope: { customerId: user.customerId }, userId, context: signInContext(await headers()) });
    return `${reset.email} must set up two-factor authentication again if it is required, and sign in again.`;
  });
}

/** Sets up (or changes) the owner's own organisation's identity provider; new domains wait for the vendor's verification. */
export async function saveTeamSsoAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction(async (user) => {
    const input = ssoInput(formData);
    const saved = await saveSsoConnection({
      actor: userActor(user),
      scope: { kind: "customer", customerId: user.customerId },
      context: signInContext(await headers()),
      input,
      verifiedByVendor: false,
    });
    return ssoSavedMessage(saved, "New email domains are used for sign-in once the vendor verifies them.");
  });
}

/** Removes the owner's own organisation's identity provider; its users sign in as before. */
export async function removeTeamSsoAction() {
  return ownerAction(async (user) => {
    await removeSsoConnection({ actor: userActor(user), scope: { kind: "customer", customerId: user.customerId }, context: signInContext(await headers()) });
    return ssoRemovedMessage;
  });
}
