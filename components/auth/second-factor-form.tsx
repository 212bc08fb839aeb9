"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** The second step of a sign-in: a code from the authenticator app, or a recovery code. */
export function SecondFactorForm({ action }: { action: FormAction }) {
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(action);
  // "/" sends each role to its own area.
  useEffect(() => {
    if (state?.ok) router.replace("/");
  }, [state, router]);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormField
        label="Authentication code"
        name="code"
        id="mfa-code"
        autoComplete="one-time-code"
        inputMode="text"
        required
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        data-testid="mfa-code"
        aria-invalid={state && !state.ok ? true : undefined}
      />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending} data-testid="mfa-submit" className="w-full">
        {pending ? "Checking…" : "Continue"}
      </Button>
    </form>
  );
}
