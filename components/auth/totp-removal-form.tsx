"use client";

import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function TotpRemovalForm({ action }: { action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  if (state?.ok) return <p className="text-sm" role="status">Two-factor authentication is off.</p>;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormField
        label="Current code from the app"
        name="code"
        id="mfa-remove-code"
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        data-testid="mfa-remove-code"
        aria-invalid={state && !state.ok ? true : undefined}
      />
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending} data-testid="mfa-remove-submit">
        {pending ? "Turning off…" : "Turn off two-factor authentication"}
      </Button>
    </form>
  );
}
