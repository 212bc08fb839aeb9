"use client";

import type { ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button } from "./button";
import { FormField } from "./form-field";
import { FormMessage, fieldError } from "./form-message";
import { RevealOnce } from "./reveal-once";
import { useFormAction, type FormAction } from "./use-form-action";

type Props<T> = {
  action: FormAction<T>;
  /** The form's own fields, before the expiry date every such secret may have. */
  fields: (state: ActionResult<T> | null) => ReactNode;
  /** What is made ("token", "key"), as the labels and the expiry hint name it. */
  noun: string;
  submitTestId?: string;
  /** What the one-time reveal shows of the secret just made. */
  reveal: (created: T) => { heading: string; secret: string; what: string; testId: string };
};

/** A form that makes a secret with an optional expiry and shows it once, cleared once it is made. */
export function SecretCreateForm<T>({ action, fields, noun, submitTestId, reveal }: Props<T>) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const created = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-start gap-3" noValidate>
        {fields(state)}
        <FormField
          label="Expires (optional)"
          name="expiresAt"
          type="date"
          hint={`At most a year ahead; the ${noun} stops working at the start of that day (UTC).`}
          error={fieldError(state, "expiresAt")}
        />
        <div className="pt-6">
          <Button type="submit" disabled={pending} data-testid={submitTestId}>
            {pending ? "Creating…" : `Create ${noun}`}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
      {created !== undefined && <RevealOnce {...reveal(created)} />}
    </div>
  );
}
