"use client";

import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { focusRing } from "@/components/ui/styles";
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
      <TermFields error={(name) => fieldError(state, name)} />
      <div className="space-y-2 md:col-span-3">
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create product"}
        </Button>
      </div>
    </form>
  );
}

type FieldError = (name: string) => string | undefined;

/** How long access lasts and ends; `idPrefix` keeps ids apart where several products share the page. */
function TermFields({ error, current, idPrefix = "" }: { error: FieldError; current?: Terms; idPrefix?: string }) {
  const id = (name: string) => (idPrefix ? `${idPrefix}-${name}` : undefined);
  const days = (name: keyof Omit<Terms, "renewalUrl">, label: string, min: number, max: number, fallback: number, hint: string) => (
    <FormField
      label={label}
      name={name}
      id={id(name)}
      type="number"
      min={min}
      max={max}
      defaultValue={current?.[name] ?? fallback}
      hint={hint}
      error={error(name)}
    />
  );
  return (
    <>
      {days("gracePeriodDays", "Grace period (days)", 0, 365, 0, "Access continues this many days after expiry, marked as grace.")}
      {days("trialDays", "Trial length (days)", 1, 90, 14, "How long a trial lasts unless its grant says otherwise.")}
      {days("defaultTermDays", "Default term (days)", 1, 3660, 365, "A grant or one-time purchase without an end date lasts this long.")}
      <div className="md:col-span-3">
        <FormField
          label="Renewal link (optional)"
          name="renewalUrl"
          id={id("renewalUrl")}
          type="url"
          defaultValue={current?.renewalUrl ?? ""}
          hint="Where customers renew, e.g. your store's page for this product. Shown on their download page as their access nears its end."
          error={error("renewalUrl")}
        />
      </div>
    </>
  );
}

type Terms = { gracePeriodDays: number; trialDays: number; defaultTermDays: number; renewalUrl: string | null };

export function ProductTermsForm({ productId, productName, current, action }: { productId: string; productName: string; current: Terms; action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} aria-label={`Terms of ${productName}`} className="grid gap-4 md:grid-cols-3" noValidate>
      <TermFields error={(name) => fieldError(state, name)} current={current} idPrefix={`terms-${productId}`} />
      <div className="space-y-2 md:col-span-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save terms"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

/** One way to pull, as the page passes it: the mode's value and how it reads. */
export type AccessModeOption = { value: string; label: string };

/**
 * Which ways of pulling the product offers (one checkbox per mode, checked = offered) and which one
 * a new customer starts with. Ids are per product since several forms share the page.
 */
export function AccessModesForm({ productId, productName, options, current, action }: {
  productId: string;
  productName: string;
  options: AccessModeOption[];
  current: { accessModes: string[]; defaultAccessMode: string };
  action: FormAction;
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  const prefix = `modes-${productId}`;
  const hintId = `${prefix}-hint`;
  // A bad value of the group names its element ("modes.0"): every such error belongs to the group.
  const modesError = fieldError(state, "modes") ?? (state && !state.ok ? Object.entries(state.fieldErrors ?? {}).find(([path]) => path.startsWith("modes."))?.[1] : undefined);
  const errorId = modesError ? `${prefix}-error` : undefined;
  return (
    <form onSubmit={onSubmit} aria-label={`Access modes of ${productName}`} className="grid gap-4 md:grid-cols-3" noValidate>
      <fieldset className="space-y-2 md:col-span-2" aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}>
        <legend className="text-sm font-medium">Access modes</legend>
        {options.map((option) => (
          <div key={option.value} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="modes"
              value={option.value}
              id={`${prefix}-${option.value}`}
              defaultChecked={current.accessModes.includes(option.value)}
              aria-invalid={modesError ? true : undefined}
              className={focusRing}
            />
            <label htmlFor={`${prefix}-${option.value}`}>{option.label}</label>
          </div>
        ))}
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-300">
          Customers of a product without IAM user keys get no IAM user: they pull with their own account, pull tokens or workload federation.
        </p>
        {modesError && (
          <p id={errorId} className="text-sm font-medium text-red-700 dark:text-red-300">
            {modesError}
          </p>
        )}
      </fieldset>
      <SelectField
        label="Default for new customers"
        name="defaultMode"
        id={`${prefix}-default`}
        defaultValue={current.defaultAccessMode}
        error={fieldError(state, "defaultMode")}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <div className="space-y-2 md:col-span-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save access modes"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

/** The Stripe prices whose purchase grants the product: one form to add, one button per price to remove. */
export function StripePriceForm({ productId, productName, action }: { productId: string; productName: string; action: FormAction }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Add a Stripe price to ${productName}`} className="flex flex-wrap items-start gap-3" noValidate>
      <FormField
        label="Stripe price"
        name="priceId"
        id={`price-${productId}`}
        placeholder="price_…"
        hint="A checkout or subscription with this price grants the product."
      />
      <div className="space-y-2 pt-6">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Adding…" : "Add price"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function RemovePriceButton({ priceId, action }: { priceId: string; action: FormAction }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="inline-flex items-center gap-2">
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove ${priceId}`}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

/**
 * Attaches one of the account's repositories in the chosen region, picked from what
 * DescribeRepositories lists; ids are per product since several forms share the page.
 */
export function AttachRepositoryForm({ productId, productName, region, account, choices, action }: {
  productId: string;
  productName: string;
  region: string;
  /** The account the choices are in, when the vendor has several; else the portal's own. */
  account: string | null;
  choices: RepositoryChoice[];
  action: FormAction;
}) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const free = choices.filter((c) => !c.attachedTo);
  const where = account ? `${region} of ${account}` : region;
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Attach a repository to ${productName}`} className="flex flex-wrap items-start gap-3" noValidate>
      {free.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">Every repository in {where} already belongs to a product.</p>
      ) : (
        <>
          <input type="hidden" name="region" value={region} />
          {account && <input type="hidden" name="account" value={account} />}
          <SelectField label={`Repository in ${where}`} name="name" id={`repo-${productId}`} required error={fieldError(state, "name")}>
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
