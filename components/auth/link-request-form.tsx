"use client";

import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function LinkRequestForm({ action }: { action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormField
        label="Email"
        name="email"
        id="link-email"
        type="email"
        autoComplete="email"
        required
        data-testid="link-email"
        aria-invalid={state && !state.ok ? true : undefined}
      />
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending} data-testid="link-submit" className="w-full">
        {pending ? "Sending…" : "Email me a sign-in link"}
      </Button>
    </form>
  );
}
