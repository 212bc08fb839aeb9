"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireCustomer, userActor } from "@/lib/auth/session";
import { replaceAccessKey } from "@/lib/credentials/replace-access-key";
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

export async function replaceAccessKeyAction(): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireCustomer();
    await replaceAccessKey({ actor: userActor(user), customerId: user.customerId });
    return { message: "Your new key is ready. Reveal its secret below." };
  });
  // Only on success: on failure the re-render could drop the panel that shows the error.
  if (result.ok) revalidatePath("/portal");
  return result;
}
