import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card, Section } from "@/components/ui/card";
import { FormField, SelectField } from "@/components/ui/form-field";
import { linkClass, mutedText } from "@/components/ui/styles";
import type { CustomerLookup, CustomerOption } from "@/lib/access/access-check-view";
import type { ProductOption } from "@/lib/products/product-options-view";

/** The page's address for a question, so an answer can be linked and reloaded. */
function accessCheckHref(customer: string, product?: string | null) {
  const query = new URLSearchParams({ customer });
  if (product) query.set("product", product);
  return `/admin/access-check?${query.toString()}`;
}

const customerLabel = (c: CustomerOption) => (c.email ? `${c.name} (${c.email})` : c.name);

type Props = {
  customerText?: string;
  customer: CustomerLookup;
  productId?: string;
  products: ProductOption[];
  productUnknown: boolean;
};

/**
 * A GET form: a text field rather than a list of customers, since there can be thousands; the
 * server resolves it to one customer or offers the matches to choose from.
 */
export function AccessCheckForm({ customerText, customer, productId, products, productUnknown }: Props) {
  const customerError = customer.kind === "no-match" ? "No customer has this id or email, or a name or email containing it." : undefined;
  const customerHint =
    customer.kind === "found" ? (
      <>
        Checking{" "}
        <Link href={`/admin/customers/${customer.customer.id}`} className={linkClass}>
          {customerLabel(customer.customer)}
        </Link>
      </>
    ) : (
      "The customer's id or a user's email, or part of the customer's name or email."
    );
  return (
    <form method="get" aria-label="Access check" className="grid gap-4 md:grid-cols-[2fr_1fr_auto] md:items-start">
      <FormField
        label="Customer"
        name="customer"
        type="search"
        autoComplete="off"
        required
        defaultValue={customerText}
        hint={customerHint}
        error={customerError}
      />
      <SelectField
        label="Product"
        name="product"
        required
        defaultValue={productUnknown ? "" : (productId ?? "")}
        error={productUnknown ? "No product has this id: choose one from the list." : undefined}
      >
        <option value="" disabled>
          Choose a product
        </option>
        {products.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.slug})
          </option>
        ))}
      </SelectField>
      <button type="submit" className={`${buttonClass("primary")} md:mt-6`}>
        Check access
      </button>
    </form>
  );
}

/** Several customers match the search: each one links to the same question about it. */
export function CustomerChoices({ matches, more, productId }: { matches: CustomerOption[]; more: boolean; productId?: string }) {
  return (
    <Section
      title="Matching customers"
      description={
        more
          ? `More than ${matches.length} customers match and ${matches.length} are listed: type more of the name or email to narrow it down.`
          : `${matches.length} customers match.`
      }
    >
      <Card>
        <ul className="space-y-2">
          {matches.map((c) => (
            <li key={c.id}>
              <Link href={accessCheckHref(c.id, productId)} className={linkClass}>
                {customerLabel(c)}
              </Link>{" "}
              <span className={`font-mono text-xs ${mutedText}`}>{c.id}</span>
            </li>
          ))}
        </ul>
      </Card>
    </Section>
  );
}
