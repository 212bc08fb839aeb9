"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { linkClass } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Props = { action: FormAction<{ id: string }>; products: { slug: string; name: string }[] };

export function GrantForm({ action, products }: Props) {
  const { state, pending, onSubmit } = useFormAction(action);

  if (products.length === 0) {
    return (
      <p>
        There are no products yet.{" "}
        <Link href="/admin/products" className={linkClass}>
          Create a product
        </Link>{" "}
        first.
      </p>
    );
  }

  return (
    <form onSubmit={onSubmit} data-testid="grant-form" className="grid gap-4 md:grid-cols-2" noValidate>
      <FormField
        label="Customer email"
        name="customerEmail"
        type="email"
        autoComplete="off"
        required
        error={fieldError(state, "customerEmail")}
      />
      <FormField
        label="Customer name (optional)"
        name="customerName"
        hint="Used only when the customer is new."
        error={fieldError(state, "customerName")}
      />
      <SelectField label="Product" name="productSlug" required defaultValue="" error={fieldError(state, "productSlug")}>
        <option value="" disabled>
          Choose a product
        </option>
        {products.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name} ({p.slug})
          </option>
        ))}
      </SelectField>
      <SelectField label="Kind" name="kind" defaultValue="STANDARD" error={fieldError(state, "kind")}>
        <option value="STANDARD">Standard</option>
        <option value="TRIAL">Trial (for customers new to the product)</option>
      </SelectField>
      <FormField
        label="Expires on (optional)"
        name="expiresAt"
        type="date"
        hint="Access ends at 00:00 UTC on this date (plus the product's grace period). Empty: the product's default term, or its trial length for a trial."
        error={fieldError(state, "expiresAt")}
      />
      <FormField
        label="External reference (optional)"
        name="externalRef"
        hint="An order or contract id. Granting the same reference twice changes nothing."
        error={fieldError(state, "externalRef")}
      />
      <div className="flex flex-col justify-end gap-2 md:col-span-2">
        <FormMessage state={state} />
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? "Granting…" : "Grant entitlement"}
          </Button>
        </div>
      </div>
    </form>
  );
}
