import type { Metadata } from "next";
import Link from "next/link";
import { GrantForm } from "@/components/admin/grant-form";
import { StateBadge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, totalLabel } from "@/components/ui/pagination";
import { BulkSelectCheckbox, BulkSelection } from "@/components/admin/bulk-selection";
import { EntitlementFilters } from "@/components/admin/entitlement-filters";
import { linkClass } from "@/components/ui/styles";
import { displayState } from "@/lib/lifecycle/entitlement-lifecycle";
import { entitlementQuerySchema, listEntitlements, type EntitlementQuery } from "@/lib/entitlements/list-entitlements";
import { listProductOptions } from "@/lib/products/product-options-view";
import { param, type SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../vendor-guard";
import { grantEntitlementAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Entitlements" };

async function loadEntitlements(query: EntitlementQuery) {
  const user = await vendorPage();
  const [list, products] = await Promise.all([listEntitlements(query), listProductOptions()]);
  return { user, ...list, products, now: new Date() };
}

export default async function EntitlementsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = entitlementQuerySchema.parse(Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, param(v)])));
  const { user, total, totalIsCapped, searchTruncated, rows, pageCount, products, now } = await loadEntitlements(query);
  const filtered = Boolean(query.q || query.status || query.product || query.expiring);
  const { page, ...linkParams } = query;
  const writable = canWrite(user);
  const table = (
    <DataTable caption="Entitlements" columns={[...(writable ? ["Select"] : []), "Customer", "Product", "State", "Expires", "IAM user"]}>
      {rows.length === 0 && <EmptyRow colSpan={writable ? 6 : 5}>{filtered ? "No entitlements match these filters." : "No entitlements yet."}</EmptyRow>}
      {rows.map((e) => (
        <tr key={e.id}>
          {writable && (
            <Td>
              <BulkSelectCheckbox id={e.id} label={`Select ${e.customerName}: ${e.productName}`} />
            </Td>
          )}
          <Td>
            <Link href={`/admin/entitlements/${e.id}`} className={linkClass}>
              {e.customerName}
            </Link>
            <div className="text-xs text-slate-600 dark:text-slate-300">{e.email ?? "no users"}</div>
          </Td>
          <Td>{e.productName}</Td>
          <Td>
            <StateBadge state={displayState(e, e.gracePeriodDays, now)} />
          </Td>
          <Td>
            <DateTime value={e.expiresAt} />
          </Td>
          <Td className="font-mono text-xs">{e.iamUserName ?? "—"}</Td>
        </tr>
      ))}
    </DataTable>
  );

  return (
    <>
      <PageHeader
        title="Entitlements"
        description={`${totalLabel(total, totalIsCapped)} ${filtered ? "matching" : "in total"}.${totalIsCapped ? " Filter or search to reach the rest." : ""}`}
      />
      {writable && (
        <Section title="Grant entitlement" description="Creates the customer if new; its owner is emailed a sign-in link once the access is ready.">
          <Card>
            <GrantForm action={grantEntitlementAction} products={products} />
          </Card>
        </Section>
      )}
      <Section title="All entitlements">
        <EntitlementFilters query={query} products={products} />
        {searchTruncated && (
          <p role="status" className="text-sm font-medium text-amber-900 dark:text-amber-200">
            The search matches more customers than can be listed; only the first ones are shown. Make it more specific.
          </p>
        )}
        {/* Writers pick rows here for a bulk extend, revoke or re-provision. */}
        {writable ? <BulkSelection>{table}</BulkSelection> : table}
        <Pagination basePath="/admin/entitlements" page={page} pageCount={pageCount} params={{ ...linkParams, sort: linkParams.sort === "newest" ? undefined : linkParams.sort }} />
      </Section>
    </>
  );
}
