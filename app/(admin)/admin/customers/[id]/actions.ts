"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { inviteUser } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";
import { guardedAction } from "@/lib/actions/guarded-action";
import { invitationMessage, inviteInput, removalMessage } from "@/app/user-forms";
import { assertIdShaped } from "@/lib/validation/strict-input";

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
