"use client";

import { FormField } from "@/components/ui/form-field";
import { fieldError } from "@/components/ui/form-message";
import { SecretCreateForm } from "@/components/ui/secret-create-form";
import type { FormAction } from "@/components/ui/use-form-action";

export function PullTokenCreateForm({ action }: { action: FormAction<{ name: string; token: string }> }) {
  return (
    <SecretCreateForm
      action={action}
      noun="token"
      submitTestId="create-pull-token"
      fields={(state) => (
        <FormField
          label="Name"
          name="name"
          required
          autoComplete="off"
          hint="What uses this token, e.g. “Production cluster” or “Release pipeline”."
          error={fieldError(state, "name")}
        />
      )}
      reveal={(created) => ({
        heading: `Copy the pull token for “${created.name}” now. It is not shown again and cannot be recovered.`,
        secret: created.token,
        what: "new pull token",
        testId: "new-pull-token",
      })}
    />
  );
}
