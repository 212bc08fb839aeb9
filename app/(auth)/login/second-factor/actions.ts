"use server";

import { headers } from "next/headers";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { verifySecondFactor } from "@/lib/auth/mfa/verify-second-factor";
import { passkeyAuthenticationOptions } from "@/lib/auth/passkeys/check-passkey";
import { verifyPasskeySecondFactor } from "@/lib/auth/passkeys/verify-passkey-second-factor";
import { pendingSecondFactor } from "@/lib/auth/session";
import { signInContext } from "@/lib/auth/sign-in-context";
import { AppError } from "@/lib/errors";
import { text } from "@/app/form-values";

export async function verifySecondFactorAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const pending = await pendingSecondFactor();
    if (pending?.pending !== "verify") throw new AppError("UNAUTHENTICATED", "Sign in first");
    await verifySecondFactor(pending.user, pending.sid, text(formData, "code") ?? "", signInContext(await headers()));
    return { message: "Verified. Opening your page…" };
  });
}

async function owingSecondFactor() {
  const pending = await pendingSecondFactor();
  if (pending?.pending !== "verify") throw new AppError("UNAUTHENTICATED", "Sign in first");
  return pending;
}

/** Options for the browser's passkey assertion: this user's passkeys, a challenge kept on the server. */
export async function passkeySecondFactorOptionsAction(): Promise<ActionResult<{ options: unknown }>> {
  return runAction(async () => {
    const pending = await owingSecondFactor();
    return { data: { options: await passkeyAuthenticationOptions("second-factor", pending.user.id) } };
  });
}

/** The second step with a passkey (formData: response as JSON). */
export async function verifyPasskeySecondFactorAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const pending = await owingSecondFactor();
    await verifyPasskeySecondFactor(pending.user, pending.sid, text(formData, "response") ?? "", signInContext(await headers()));
    return { message: "Verified. Opening your page…" };
  });
}
