"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { createPullToken, revokePullToken } from "@/lib/pull-tokens/pull-tokens";
import { assertIdShaped } from "@/lib/validation/strict-input";
import { text, utcDate } from "@/app/form-values";

// Only the customer's owners manage its pull tokens, and only its own: the scope is always the
// signed-in owner's customer, never anything from the request. Others are refused before input is read.

const PAGE = "/portal/tokens";

export type NewPullToken = { name: string; token: string };

/** The token comes back in the result, the one time it exists in clear, for the form to reveal. */
export async function createPullTokenAction(_prev: ActionResult<NewPullToken> | null, formData: FormData): Promise<ActionResult<NewPullToken>> {
  const result = await runAction(async () => {
    const user = await requireCustomerOwner();
    const created = await createPullToken({
      actor: userActor(user),
      customerId: user.customerId,
      input: { name: text(formData, "name") ?? "", expiresAt: utcDate(formData, "expiresAt") },
    });
    return { data: { name: created.name, token: created.token } };
  });
  if (result.ok) revalidatePath(PAGE);
  return result;
}

/** The token id is bound on the page; the use case matches it within the owner's customer only. */
export async function revokePullTokenAction(id: string) {
  return guardedAction(
    requireCustomerOwner,
    async (user) => {
      assertIdShaped(id, "pull token");
      await revokePullToken({ actor: userActor(user), customerId: user.customerId, id });
      return "Revoked. The token gets no new credentials, and those it already got stop working at their next pull.";
    },
    { path: PAGE },
  );
}
