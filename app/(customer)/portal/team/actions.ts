"use server";

import { invitationMessage, inviteInput, removalMessage } from "@/app/user-forms";
import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { inviteToOwnCustomer } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";
import { assertIdShaped } from "@/lib/validation/strict-input";

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
