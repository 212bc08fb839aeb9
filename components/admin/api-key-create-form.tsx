"use client";

import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { RevealOnce } from "@/components/ui/reveal-once";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type ScopeOption = { value: string; label: string };

export function ApiKeyCreateForm({ action, scopes }: { action: FormAction<{ label: string; key: string }>; scopes: ScopeOption[] }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const created = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-start gap-3" noValidate>
        <FormField label="Label" name="label" required hint="What uses this key, e.g. “Billing webhook”." error={fieldError(state, "label")} />
        {/* Read only is preselected: writing is a deliberate choice, so a leaked key can change less. */}
        <SelectField label="Access" name="scope" defaultValue="READ" hint="Read only keys may only GET." error={fieldError(state, "scope")}>
          {scopes.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <FormField
          label="Expires (optional)"
          name="expiresAt"
          type="date"
          hint="At most a year ahead; the key stops working at the start of that day (UTC)."
          error={fieldError(state, "expiresAt")}
        />
        <div className="pt-6">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
      {created && (
        <RevealOnce
          heading={`Copy the key for “${created.label}” now. It is shown only this once and cannot be recovered.`}
          secret={created.key}
          what="new API key"
          testId="new-api-key"
        />
      )}
    </div>
  );
}
