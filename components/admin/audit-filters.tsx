import { FilterActions } from "@/components/ui/filter-actions";
import { FormField } from "@/components/ui/form-field";
import { linkClass } from "@/components/ui/styles";
import type { AuditFilters as Filters } from "@/lib/audit/list-audit-events";
import { auditHref } from "./audit-href";

/** Each action name and every family above it: "aws.", "aws.user.", "aws.user.created". */
function actionPrefixes(actions: string[]) {
  const prefixes = new Set<string>();
  for (const action of actions) {
    const parts = action.split(".");
    parts.forEach((_, i) => prefixes.add(i < parts.length - 1 ? `${parts.slice(0, i + 1).join(".")}.` : action));
  }
  return [...prefixes].sort();
}

type Props = { filters: Filters; actions: string[] };

/** A GET form: filters live in the URL, so a filtered view can be linked, bookmarked, reloaded and exported. */
export function AuditFilters({ filters, actions }: Props) {
  return (
    <form method="get" role="search" aria-label="Filter audit events" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-start">
      <FormField id="filter-actor" label="Actor" name="actor" type="search" defaultValue={filters.actor} hint="Part of an email, key or job name, or an actor id." />
      <FormField
        id="filter-action"
        label="Action starts with"
        name="action"
        type="search"
        list="audit-action-names"
        defaultValue={filters.action}
        hint="e.g. entitlement. or aws.user."
      />
      <datalist id="audit-action-names">
        {actionPrefixes(actions).map((prefix) => (
          <option key={prefix} value={prefix} />
        ))}
      </datalist>
      <FormField id="filter-customer" label="Customer" name="customer" type="search" defaultValue={filters.customer} hint="Part of the name, or a customer id." />
      <FormField id="filter-from" label="From (UTC day)" name="from" type="date" defaultValue={filters.from} hint="From the start of this day in UTC." />
      <FormField id="filter-to" label="To (UTC day)" name="to" type="date" defaultValue={filters.to} hint="Until the end of this day in UTC." />
      <FilterActions clearHref="/admin/audit" className="sm:col-span-2 lg:col-span-5">
        {/* A plain link: the export is a file download from a route, not a page to navigate to. */}
        <a href={auditHref("/admin/audit/export", filters)} className={linkClass}>
          Export CSV
        </a>
      </FilterActions>
    </form>
  );
}
