"use server";

import { revalidatePath } from "next/cache";
import { invitationMessage, inviteInput, removalMessage } from "@/app/(admin)/admin/team/user-forms";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { inviteUser } from "@/lib/users/invite-user";
import { removeUser } from "@/lib/users/remove-user";

// Only the customer's owners manage its users, and only its own: the scope is always the signed-in
// owner's customer, never anything from the request. Others are refused before input is read.

async function ownerAction(fn: (user: Awaited<ReturnType<typeof requireCustomerOwner>>) => Promise<string>): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => ({ message: await fn(await requireCustomerOwner()) }));
  if (result.ok) revalidatePath("/portal/team");
  return result;
}

export async function inviteTeamUserAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction(async (user) =>
    invitationMessage(await inviteUser({ actor: userActor(user), customerId: user.customerId, input: inviteInput(formData) })),
  );
}

/** The user id is bound on the page; the use case matches it within the owner's customer only. */
export async function removeTeamUserAction(userId: string) {
  return ownerAction(async (user) => removalMessage(await removeUser({ actor: userActor(user), customerId: user.customerId, userId })));
}
