"use client";

import { FormField, SelectField } from "@/components/ui/form-field";
import { fieldError } from "@/components/ui/form-message";
import { SecretCreateForm } from "@/components/ui/secret-create-form";
import type { FormAction } from "@/components/ui/use-form-action";

type ScopeOption = { value: string; label: string };

export function ApiKeyCreateForm({ action, scopes }: { action: FormAction<{ label: string; key: string }>; scopes: ScopeOption[] }) {
  return (
    <SecretCreateForm
      action={action}
      noun="key"
      fields={(state) => (
        <>
          <FormField label="Label" name="label" required hint="What uses this key, e.g. “Billing webhook”." error={fieldError(state, "label")} />
          {/* Read only is preselected: writing is a deliberate choice, so a leaked key can change less. */}
          <SelectField label="Access" name="scope" defaultValue="READ" hint="Read only keys may only GET." error={fieldError(state, "scope")}>
            {scopes.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </SelectField>
        </>
      )}
      reveal={(created) => ({
        heading: `Copy the key for “${created.label}” now. It is shown only this once and cannot be recovered.`,
        secret: created.key,
        what: "new API key",
        testId: "new-api-key",
      })}
    />
  );
}
