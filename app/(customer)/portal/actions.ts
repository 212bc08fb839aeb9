"use server";

import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomer, userActor } from "@/lib/auth/session";
import { retireAccessKey, rotateAccessKey } from "@/lib/credentials/rotate-access-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { text } from "@/app/form-values";

export type RevealedSecret = { accessKeyId: string; secretAccessKey: string };

/**
 * No revalidation here: a re-render would swap the panel holding the secret for the
 * "already shown" state before the customer has copied it.
 */
export async function revealSecretAction(_prev: ActionResult<RevealedSecret> | null, formData: FormData): Promise<ActionResult<RevealedSecret>> {
  return runAction(async () => {
    const user = await requireCustomer();
    const data = await revealSecret({
      actor: userActor(user),
      customerId: user.customerId,
      accessKeyId: text(formData, "accessKeyId") ?? "",
    });
    return { data };
  });
}

const portalPage = { path: "/portal", onSuccessOnly: true };

export async function rotateAccessKeyAction(): Promise<ActionResult> {
  return guardedAction(requireCustomer, async (user) => {
    await rotateAccessKey({ actor: userActor(user), customerId: user.customerId, overlap: true });
    return "Your new key is ready. Reveal its secret below; the previous key keeps working until you retire it.";
  }, portalPage);
}

export async function retireAccessKeyAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireCustomer, async (user) => {
    await retireAccessKey({ actor: userActor(user), customerId: user.customerId, accessKeyId: text(formData, "accessKeyId") ?? "" });
    return "The previous key is deleted and no longer works.";
  }, portalPage);
}
