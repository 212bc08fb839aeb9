import type { Metadata } from "next";
import Link from "next/link";
import { Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchForm } from "@/components/ui/search-form";
import { linkClass } from "@/components/ui/styles";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pageNumber, param, type SearchParams } from "@/app/form-values";
import { vendorPage } from "../vendor-guard";
import { containsText } from "@/lib/search/contains-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customers" };

const PAGE_SIZE = 50;

async function loadCustomers(q: string | undefined, page: number) {
  await vendorPage();
  const where: Prisma.CustomerWhereInput = q
    ? {
        OR: [
          { name: containsText(q) },
          { users: { some: { email: containsText(q) } } },
        ],
      }
    : {};
  const [total, customers] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        name: true,
        createdAt: true,
        users: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 1 },
        _count: { select: { entitlements: true, users: true } },
      },
    }),
  ]);
  const active = await db.entitlement.groupBy({
    by: ["customerId"],
    where: { customerId: { in: customers.map((c) => c.id) }, status: "ACTIVE" },
    _count: { _all: true },
  });
  const activeBy = new Map(active.map((a) => [a.customerId, a._count._all]));
  return { total, customers: customers.map((c) => ({ ...c, active: activeBy.get(c.id) ?? 0 })) };
}

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const q = param(sp.q);
  const page = pageNumber(sp.page);
  const data = await loadCustomers(q, page);
  const { total, customers } = data;
  return (
    <>
      <PageHeader title="Customers" description={`${total} ${q ? "matching" : "in total"}. Customers are created when they are first granted an entitlement.`} />
      <Section title="All customers">
        <SearchForm label="Search by name or email" name="q" value={q} />
        <DataTable caption="Customers" columns={["Customer", "First user", "Users", "Active entitlements", "All entitlements", "Created"]}>
          {customers.length === 0 && <EmptyRow colSpan={6}>{q ? "No customers match." : "No customers yet."}</EmptyRow>}
          {customers.map((c) => (
            <tr key={c.id}>
              <Td>
                <Link href={`/admin/customers/${c.id}`} className={linkClass}>
                  {c.name}
                </Link>
              </Td>
              <Td>{c.users[0]?.email ?? "—"}</Td>
              <Td>{c._count.users}</Td>
              <Td>{c.active}</Td>
              <Td>{c._count.entitlements}</Td>
              <Td>
                <DateTime value={c.createdAt} />
              </Td>
            </tr>
          ))}
        </DataTable>
        <Pagination basePath="/admin/customers" page={page} pageCount={Math.ceil(total / PAGE_SIZE)} params={{ q }} />
      </Section>
    </>
  );
}
