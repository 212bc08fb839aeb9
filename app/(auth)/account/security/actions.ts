"use server";

import { headers } from "next/headers";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { confirmTotpEnrolment } from "@/lib/auth/mfa/enrol-totp";
import { removeTotp } from "@/lib/auth/mfa/remove-totp";
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from "@/lib/auth/passkeys/register-passkey";
import { requireSignedIn, sessionState } from "@/lib/auth/session";
import { signInContext } from "@/lib/auth/sign-in-context";
import { AppError } from "@/lib/errors";
import { text } from "@/app/form-values";

/** Confirms TOTP: for a signed-in user, or one a rule sends here to enrol before signing in. */
export async function confirmTotpEnrolmentAction(_prev: ActionResult<{ recoveryCodes: string[] }> | null, formData: FormData): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction(async () => {
    const state = await sessionState();
    if (!state || state.pending === "verify") throw new AppError("UNAUTHENTICATED", "Sign in first");
    const data = await confirmTotpEnrolment(state.user, state.sid, text(formData, "code") ?? "", signInContext(await headers()));
    return { data };
  });
}

export async function removeTotpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const user = await requireSignedIn();
    await removeTotp(user, text(formData, "code") ?? "", signInContext(await headers()));
  });
}

// The session may add a passkey when signed in, or when a rule sends it here to enrol.
async function enrollingOrSignedIn() {
  const state = await sessionState();
  if (!state || state.pending === "verify") throw new AppError("UNAUTHENTICATED", "Sign in first");
  return state;
}

/** Options for the browser's passkey creation, with a challenge kept on the server. */
export async function passkeyRegistrationOptionsAction(): Promise<ActionResult<{ options: unknown }>> {
  return runAction(async () => {
    const state = await enrollingOrSignedIn();
    return { data: { options: await passkeyRegistrationOptions(state.user) } };
  });
}

/** Keeps the passkey the browser created (formData: name, response as JSON). */
export async function registerPasskeyAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const state = await enrollingOrSignedIn();
    await registerPasskey(state.user, state.sid, text(formData, "name") ?? "", text(formData, "response") ?? "", signInContext(await headers()));
    return { message: "Passkey added." };
  });
}

export async function removePasskeyAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const user = await requireSignedIn();
    await removePasskey(user, text(formData, "passkeyId") ?? "", signInContext(await headers()));
    return { message: "Passkey removed." };
  });
}
