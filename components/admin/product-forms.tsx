"use client";

import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { RepositoryChoice } from "@/lib/products/available-repositories";

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
      <div className="md:col-span-3">
        <FormField
          label="Renewal link (optional)"
          name="renewalUrl"
          type="url"
          hint="Where customers renew, e.g. your store's page for this product. Shown on their download page as their access nears its end."
          error={fieldError(state, "renewalUrl")}
        />
      </div>
      <div className="space-y-2 md:col-span-3">
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create product"}
        </Button>
      </div>
    </form>
  );
}

/** Sets or clears where a product's customers renew; ids are per product since several forms share the page. */
export function RenewalLinkForm({ productId, productName, current, action }: { productId: string; productName: string; current: string | null; action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} aria-label={`Renewal link of ${productName}`} className="flex flex-wrap items-end gap-3" noValidate>
      <FormField
        label="Renewal link"
        name="renewalUrl"
        id={`renewal-${productId}`}
        type="url"
        defaultValue={current ?? ""}
        hint="Leave empty to remove it."
        error={fieldError(state, "renewalUrl")}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : "Save link"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

/**
 * Attaches one of the account's repositories in the chosen region, picked from what
 * DescribeRepositories lists; ids are per product since several forms share the page.
 */
export function AttachRepositoryForm({ productId, productName, region, choices, action }: {
  productId: string;
  productName: string;
  region: string;
  choices: RepositoryChoice[];
  action: FormAction;
}) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const free = choices.filter((c) => !c.attachedTo);
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Attach a repository to ${productName}`} className="flex flex-wrap items-start gap-3" noValidate>
      {free.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">Every repository in {region} already belongs to a product.</p>
      ) : (
        <>
          <input type="hidden" name="region" value={region} />
          <SelectField label={`Repository in ${region}`} name="name" id={`repo-${productId}`} required error={fieldError(state, "name")}>
            {choices.map((c) => (
              <option key={c.name} value={c.name} disabled={Boolean(c.attachedTo)}>
                {c.attachedTo ? `${c.name} (in ${c.attachedTo})` : c.name}
              </option>
            ))}
          </SelectField>
        </>
      )}
      <div className="space-y-2 pt-6">
        {free.length > 0 && (
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? "Checking AWS…" : "Attach repository"}
          </Button>
        )}
        <FormMessage state={state} />
      </div>
    </form>
  );
}
