import { FilterActions } from "@/components/ui/filter-actions";
import { FormField, SelectField } from "@/components/ui/form-field";
import { EXPIRY_WINDOWS } from "@/lib/entitlements/entitlement-filters";
import type { EntitlementQuery } from "@/lib/entitlements/list-entitlements";

const STATUS_LABELS = {
  active: "Active",
  pending: "Provisioning",
  failed: "Failed",
  scheduled: "Scheduled",
  suspended: "Suspended",
  expired: "Expired",
  revoked: "Revoked",
} as const;

const SORT_LABELS = {
  newest: "Newest first",
  oldest: "Oldest first",
  "expires-soonest": "Expires soonest",
  "expires-latest": "Expires latest",
  customer: "Customer name",
} as const;

type Props = { query: EntitlementQuery; products: { slug: string; name: string }[] };

/** A GET form: filters live in the URL, so a filtered view can be linked, bookmarked and reloaded. */
export function EntitlementFilters({ query, products }: Props) {
  return (
    <form method="get" role="search" aria-label="Filter entitlements" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
      <div className="sm:col-span-2">
        <FormField
          id="filter-q"
          label="Search"
          name="q"
          type="search"
          defaultValue={query.q}
          hint="Customer, email or product; an IAM user name or access key id exactly."
        />
      </div>
      <SelectField id="filter-status" label="Status" name="status" defaultValue={query.status ?? ""}>
        <option value="">Any status</option>
        {Object.entries(STATUS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField id="filter-product" label="Product" name="product" defaultValue={query.product ?? ""}>
        <option value="">Any product</option>
        {products.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField id="filter-expiring" label="Expiring within" name="expiring" defaultValue={query.expiring ?? ""}>
        <option value="">Any time</option>
        {EXPIRY_WINDOWS.map((days) => (
          <option key={days} value={days}>
            {days} days
          </option>
        ))}
      </SelectField>
      <SelectField id="filter-sort" label="Sort" name="sort" defaultValue={query.sort}>
        {Object.entries(SORT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <FilterActions clearHref="/admin/entitlements" className="lg:col-span-6" />
    </form>
  );
}
