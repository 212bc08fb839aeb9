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
