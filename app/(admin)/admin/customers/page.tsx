import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, totalLabel } from "@/components/ui/pagination";
import { SearchForm } from "@/components/ui/search-form";
import { linkClass } from "@/components/ui/styles";
import { customerQuerySchema, listCustomers, type CustomerQuery } from "@/lib/customers/list-customers";
import { param, type SearchParams } from "@/app/form-values";
import { vendorPage } from "../vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customers" };

async function loadCustomers(query: CustomerQuery) {
  await vendorPage();
  return listCustomers(query);
}

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = customerQuerySchema.parse({ q: param(sp.q), page: param(sp.page) });
  const { q, page } = query;
  const { total, totalIsCapped, pageCount, rows } = await loadCustomers(query);
  return (
    <>
      <PageHeader
        title="Customers"
        description={`${totalLabel(total, totalIsCapped)} ${q ? "matching" : "in total"}.${totalIsCapped ? " Search to reach the rest." : ""} Customers are created when they are first granted an entitlement.`}
      />
      <Section title="All customers">
        <SearchForm label="Search by name or email" name="q" value={q} />
        <DataTable caption="Customers" columns={["Customer", "First user", "Users", "Active entitlements", "All entitlements", "Created"]}>
          {rows.length === 0 && <EmptyRow colSpan={6}>{q ? "No customers match." : "No customers yet."}</EmptyRow>}
          {rows.map((c) => (
            <tr key={c.id}>
              <Td>
                <Link href={`/admin/customers/${c.id}`} className={linkClass}>
                  {c.name}
                </Link>
                {c.ownAccounts > 0 && (
                  <span className="ml-2">
                    <Badge tone="blue" testId={`cross-account-${c.id}`}>
                      {c.keyAccess ? "Cross-account + key" : "Cross-account only"}
                    </Badge>
                  </span>
                )}
              </Td>
              <Td>{c.email ?? "—"}</Td>
              <Td>{c.users}</Td>
              <Td>{c.activeEntitlements}</Td>
              <Td>{c.entitlements}</Td>
              <Td>
                <DateTime value={c.createdAt} />
              </Td>
            </tr>
          ))}
        </DataTable>
        <Pagination basePath="/admin/customers" page={page} pageCount={pageCount} params={{ q }} />
      </Section>
    </>
  );
}
