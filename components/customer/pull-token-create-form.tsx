"use client";

import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { RevealOnce } from "@/components/ui/reveal-once";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function PullTokenCreateForm({ action }: { action: FormAction<{ name: string; token: string }> }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const created = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-start gap-3" noValidate>
        <FormField
          label="Name"
          name="name"
          required
          autoComplete="off"
          hint="What uses this token, e.g. “Production cluster” or “Release pipeline”."
          error={fieldError(state, "name")}
        />
        <FormField
          label="Expires (optional)"
          name="expiresAt"
          type="date"
          hint="At most a year ahead; the token stops working at the start of that day (UTC)."
          error={fieldError(state, "expiresAt")}
        />
        <div className="pt-6">
          <Button type="submit" disabled={pending} data-testid="create-pull-token">
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
      {created && (
        <RevealOnce
          heading={`Copy the pull token for “${created.name}” now. It is not shown again and cannot be recovered.`}
          secret={created.token}
          what="new pull token"
          testId="new-pull-token"
        />
      )}
    </div>
  );
}
