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

export function SuspendControl({ action }: { action: FormAction }) {
  return (
    <ConfirmAction
      action={action}
      variant="secondary"
      triggerLabel="Suspend"
      confirmLabel="Yes, suspend"
      prompt="The customer loses access to this product's repositories until you resume it. Its IAM user and access key are kept, so resuming needs no new credentials."
      triggerTestId="suspend-button"
      confirmTestId="confirm-suspend"
    >
      <FormField label="Reason (optional, kept in the audit log)" name="reason" id="suspend-reason" maxLength={200} />
    </ConfirmAction>
  );
}

export function RotateKeyControl({ action }: { action: FormAction }) {
  return (
    <ConfirmAction
      action={action}
      variant="secondary"
      triggerLabel="Rotate access key"
      confirmLabel="Yes, replace the key now"
      prompt="The customer's current key stops working at once and a new one is issued, shown once on its download page. Use this when a key may have leaked."
      triggerTestId="rotate-key-button"
      confirmTestId="confirm-rotate-key"
    />
  );
}

/** A one-click action whose result is shown beside its button. */
export function ActionButton({ action, label, pendingLabel, testId }: { action: FormAction; label: string; pendingLabel: string; testId: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <Button type="submit" variant="secondary" disabled={pending} data-testid={testId}>
        {pending ? pendingLabel : label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function ExtendControl({ action, minDate }: { action: FormAction; minDate: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" data-testid="extend-form">
      <FormField
        label="New expiry date"
        name="expiresAt"
        id="extend-expires-at"
        type="date"
        min={minDate}
        required
        hint="Access ends at 00:00 UTC on this day (plus any grace period)."
        error={state && !state.ok ? state.fieldErrors?.expiresAt : undefined}
      />
      <Button type="submit" disabled={pending} data-testid="extend-submit">
        {pending ? "Extending…" : "Extend"}
      </Button>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
