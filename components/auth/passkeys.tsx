"use client";

import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useEffect, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type OptionsAction = () => Promise<ActionResult<{ options: unknown }>>;

const CANCELLED = "The passkey prompt was closed or timed out. Try again.";

/** Asks the server for options, then the browser (and the authenticator) for a credential. */
async function withOptions<T>(optionsAction: OptionsAction, ask: (options: unknown) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const result = await optionsAction();
  if (!result.ok) return result;
  try {
    return { ok: true, value: await ask(result.data?.options) };
  } catch {
    return { ok: false, error: CANCELLED };
  }
}

function responseForm(response: unknown, fields: Record<string, string> = {}) {
  const formData = new FormData();
  formData.set("response", JSON.stringify(response));
  for (const [k, v] of Object.entries(fields)) formData.set(k, v);
  return formData;
}

/** Names and registers a new passkey on this device. */
export function PasskeyRegistration({ optionsAction, registerAction }: { optionsAction: OptionsAction; registerAction: FormAction }) {
  const router = useRouter();
  const [state, setState] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    if (!name) return setState({ ok: false, error: "Name the passkey, for example the device it is on." });
    startTransition(async () => {
      const created = await withOptions(optionsAction, (options) => startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON }));
      if (!created.ok) return setState(created);
      const result = await registerAction(null, responseForm(created.value, { name }));
      setState(result);
      if (result.ok) {
        form.reset();
        router.refresh();
      }
    });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormField label="Passkey name" name="name" id="passkey-name" required hint="For example the device or security key it is on." data-testid="passkey-name" />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending} data-testid="passkey-add">
        {pending ? "Waiting for the passkey…" : "Add a passkey"}
      </Button>
    </form>
  );
}

/** Removes one passkey (a small form per row). */
export function PasskeyRemoveForm({ passkeyId, name, action }: { passkeyId: string; name: string; action: FormAction }) {
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(action);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form onSubmit={onSubmit} className="space-y-2" noValidate>
      <input type="hidden" name="passkeyId" value={passkeyId} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-label={`Remove passkey ${name}`} data-testid="passkey-remove">
        Remove
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

/** The second step with a passkey instead of a code. */
export function PasskeySecondFactor({ optionsAction, verifyAction }: { optionsAction: OptionsAction; verifyAction: FormAction }) {
  const router = useRouter();
  const [state, setState] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const onClick = () =>
    startTransition(async () => {
      const asserted = await withOptions(optionsAction, (options) => startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON }));
      if (!asserted.ok) return setState(asserted);
      const result = await verifyAction(null, responseForm(asserted.value));
      setState(result);
      // "/" sends each role to its own area.
      if (result.ok) router.replace("/");
    });
  return (
    <div className="space-y-4">
      <FormMessage state={state} />
      <Button type="button" variant="secondary" onClick={onClick} disabled={pending} className="w-full" data-testid="mfa-passkey">
        {pending ? "Waiting for the passkey…" : "Use a passkey"}
      </Button>
    </div>
  );
}

/** Signs in with a passkey alone (discoverable credential, user verification required). */
export function PasskeySignIn({ optionsAction }: { optionsAction: OptionsAction }) {
  const router = useRouter();
  const [state, setState] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const onClick = () =>
    startTransition(async () => {
      const asserted = await withOptions(optionsAction, (options) => startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON }));
      if (!asserted.ok) return setState(asserted);
      try {
        const res = await signIn("passkey", { response: JSON.stringify(asserted.value), redirect: false });
        if (!res || res.error || !res.ok) return setState({ ok: false, error: "That passkey did not sign you in. Use your password or an emailed link." });
      } catch {
        return setState({ ok: false, error: "Could not reach the server. Check your connection and try again." });
      }
      setState({ ok: true, message: "Signed in. Opening your page…" });
      router.replace("/");
    });
  return (
    <div className="space-y-4">
      <FormMessage state={state} />
      <Button type="button" variant="secondary" onClick={onClick} disabled={pending} className="w-full" data-testid="login-passkey">
        {pending ? "Waiting for the passkey…" : "Sign in with a passkey"}
      </Button>
    </div>
  );
}
