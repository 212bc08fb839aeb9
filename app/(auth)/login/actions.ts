"use server";

import { headers } from "next/headers";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { passkeySignInOptions } from "@/lib/auth/passkeys/check-passkey";
import { requestSignInLink as request } from "@/lib/auth/request-sign-in-link";
import { signInContext } from "@/lib/auth/sign-in-context";
import { text } from "@/app/form-values";

const NEUTRAL = "If that email has access, a link is on its way. Check your inbox.";

export async function requestSignInLink(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    await request(text(formData, "email") ?? "", signInContext(await headers()));
    return { message: NEUTRAL };
  });
  return result.ok ? result : { ...result, fieldErrors: { email: result.error } };
}

/** Options for signing in with a passkey alone (discoverable, user verification required); the answer goes to next-auth's "passkey" provider. */
export async function passkeySignInOptionsAction(): Promise<ActionResult<{ options: unknown }>> {
  return runAction(async () => ({ data: { options: await passkeySignInOptions(signInContext(await headers())) } }));
}
