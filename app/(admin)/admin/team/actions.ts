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
