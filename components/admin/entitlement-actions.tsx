"use client";

import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function RevokeControl({ action }: { action: FormAction }) {
  return (
    <ConfirmAction
      action={action}
      triggerLabel="Revoke now"
      confirmLabel="Yes, revoke now"
      prompt="The customer loses access to this product's repositories right away. This cannot be undone; grant a new entitlement to restore access."
      triggerTestId="revoke-button"
      confirmTestId="confirm-revoke"
    >
      <FormField label="Reason (optional, kept in the audit log)" name="reason" id="revoke-reason" maxLength={200} />
    </ConfirmAction>
  );
}

export function RetryControl({ action }: { action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <Button type="submit" variant="secondary" disabled={pending} data-testid="retry-button">
        {pending ? "Retrying…" : "Retry provisioning"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
