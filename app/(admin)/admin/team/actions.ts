"use server";

import { requireVendorOwner, userActor } from "@/lib/auth/session";
import type { ActionResult } from "@/lib/actions/action-result";
import { changeStaffRole } from "@/lib/users/change-staff-role";
import { inviteUser } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";
import { roleLabels } from "@/lib/users/roles";
import { text } from "@/app/form-values";
import { guardedAction } from "@/lib/actions/guarded-action";
import { invitationMessage, inviteInput, removalMessage } from "@/app/user-forms";
import { assertIdShaped } from "@/lib/validation/strict-input";
import { headers } from "next/headers";
import { setVendorMfaRule } from "@/lib/auth/mfa/mfa-rules";
import { resetUserMfa } from "@/lib/auth/mfa/reset-user-mfa";
import { signInContext } from "@/lib/auth/sign-in-context";
import { removeSsoConnection, saveSsoConnection, setVendorSsoOnly } from "@/lib/auth/sso/configure-sso";
import { ssoInput, ssoRemovedMessage, ssoSavedMessage } from "@/app/sso-forms";

// Only owners manage the vendor team; admins and viewers are refused before anything else.

export async function inviteTeamMemberAction(_prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) =>
    invitationMessage(await inviteUser({ actor: userActor(user), customerId: null, input: inviteInput(formData) })),
  );
}

export async function changeTeamRoleAction(userId: string, _prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) => {
    assertIdShaped(userId, "user");
    const out = await changeStaffRole({ actor: userActor(user), userId, input: { role: text(formData, "role") ?? "" } });
    return out.changed ? `${out.user.email} is now ${roleLabels[out.user.role]}.` : `${out.user.email} already has that role.`;
  });
}

export async function removeTeamMemberAction(userId: string) {
  return guardedAction(requireVendorOwner, async (user) => {
    assertIdShaped(userId, "user");
    return removalMessage(await removeUser({ actor: userActor(user), customerId: null, userId }));
  });
}

/** Requires (or stops requiring) two-factor authentication for the whole vendor team. */
export async function setTeamMfaRuleAction(_prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) => {
    const requireMfa = formData.get("requireMfa") === "on";
    await setVendorMfaRule({ actor: userActor(user), requireMfa, context: signInContext(await headers()) });
    return requireMfa ? "Two-factor authentication is now required for the vendor team." : "Two-factor authentication is now optional for the vendor team.";
  });
}

/** Resets a staff member's two-factor authentication (a lost device); their sessions end. */
export async function resetTeamMemberMfaAction(_prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) => {
    const userId = text(formData, "userId") ?? "";
    assertIdShaped(userId, "user");
    const reset = await resetUserMfa({ actor: userActor(user), scope: { customerId: null }, userId, context: signInContext(await headers()) });
    return `${reset.email} must set up two-factor authentication again if it is required, and sign in again.`;
  });
}

/** Sets up (or changes) the vendor team's identity provider; its domains are the team's own to name. */
export async function saveTeamSsoAction(_prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) => {
    const input = ssoInput(formData);
    const saved = await saveSsoConnection({ actor: userActor(user), scope: { kind: "vendor" }, context: signInContext(await headers()), input, verifiedByVendor: true });
    return ssoSavedMessage(saved);
  });
}

/** Removes the vendor team's identity provider; staff sign in as before, and SSO-only sign-in ends with it. */
export async function removeTeamSsoAction() {
  return guardedAction(requireVendorOwner, async (user) => {
    await removeSsoConnection({ actor: userActor(user), scope: { kind: "vendor" }, context: signInContext(await headers()) });
    return ssoRemovedMessage;
  });
}

/** Makes the team's identity provider the only way in for staff below owner, or turns that off. */
export async function setTeamSsoOnlyAction(_prev: ActionResult | null, formData: FormData) {
  return guardedAction(requireVendorOwner, async (user) => {
    const on = formData.get("ssoOnly") === "on";
    await setVendorSsoOnly({ actor: userActor(user), on, context: signInContext(await headers()) });
    return on
      ? "Staff below owner now sign in through single sign-on only. Owners keep their other sign-in methods."
      : "Staff can sign in with an emailed link, a password or a passkey again.";
  });
}
