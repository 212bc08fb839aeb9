"use client";

import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function CreateProductForm({ action }: { action: FormAction }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid gap-4 md:grid-cols-3" noValidate>
      <FormField label="Name" name="name" required error={fieldError(state, "name")} />
      <FormField
        label="Slug"
        name="slug"
        required
        hint="Lowercase letters, digits and dashes. Used by the API and as the customer's CLI profile name."
        error={fieldError(state, "slug")}
      />
      <FormField
        label="Grace period (days)"
        name="gracePeriodDays"
        type="number"
        min={0}
        max={365}
        defaultValue={0}
        hint="Access continues this many days after expiry."
        error={fieldError(state, "gracePeriodDays")}
      />
      <div className="space-y-2 md:col-span-3">
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create product"}
        </Button>
      </div>
    </form>
  );
}

/** Attaches an existing ECR repository; ids are per product since several forms share the page. */
export function AttachRepositoryForm({ productId, productName, action }: { productId: string; productName: string; action: FormAction }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Attach a repository to ${productName}`} className="flex flex-wrap items-start gap-3" noValidate>
      <FormField label="Region" name="region" id={`region-${productId}`} defaultValue="us-east-1" required error={fieldError(state, "region")} />
      <FormField label="Repository name" name="name" id={`repo-${productId}`} required placeholder="team/app" error={fieldError(state, "name")} />
      <div className="space-y-2 pt-6">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Checking AWS…" : "Attach repository"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
