import type { Metadata } from "next";
import Link from "next/link";
import { GrantForm } from "@/components/admin/grant-form";
import { StateBadge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchForm } from "@/components/ui/search-form";
import { linkClass } from "@/components/ui/styles";
import { db } from "@/lib/db";
import { displayState } from "@/lib/entitlements/lifecycle";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pageNumber, param, type SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../vendor-guard";
import { grantEntitlementAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Entitlements" };

const PAGE_SIZE = 50;

async function loadEntitlements(q: string | undefined, page: number) {
  const user = await vendorPage();
  const where: Prisma.EntitlementWhereInput = q
    ? {
        customer: {
          OR: [
            { name: { contains: q, mode: "insensitive" } },
            { users: { some: { email: { contains: q, mode: "insensitive" } } } },
          ],
        },
      }
    : {};
  const [total, rows, products] = await Promise.all([
    db.entitlement.count({ where }),
    db.entitlement.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      include: {
        product: { select: { name: true, gracePeriodDays: true } },
        customer: {
          select: {
            id: true,
            name: true,
            users: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 1 },
            identities: { where: { liveFor: { not: null } }, select: { userName: true } },
          },
        },
      },
    }),
    db.product.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } }),
  ]);
  return { user, total, rows, products, now: new Date() };
}

export default async function EntitlementsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const q = param(sp.q);
  const page = pageNumber(sp.page);
  const data = await loadEntitlements(q, page);
  const { user, total, rows, products, now } = data;

  return (
    <>
      <PageHeader title="Entitlements" description={`${total} ${q ? "matching" : "in total"}, newest first.`} />
      {canWrite(user) && (
        <Section title="Grant entitlement" description="Creates the customer and emails them an invitation if they are new.">
          <Card>
            <GrantForm action={grantEntitlementAction} products={products} />
          </Card>
        </Section>
      )}
      <Section title="All entitlements">
        <SearchForm label="Search by customer name or email" name="q" value={q} />
        <DataTable caption="Entitlements" columns={["Customer", "Product", "State", "Expires", "IAM user"]}>
          {rows.length === 0 && <EmptyRow colSpan={5}>{q ? "No entitlements match." : "No entitlements yet."}</EmptyRow>}
          {rows.map((e) => (
            <tr key={e.id}>
              <Td>
                <Link href={`/admin/entitlements/${e.id}`} className={linkClass}>
                  {e.customer.name}
                </Link>
                <div className="text-xs text-slate-600 dark:text-slate-300">{e.customer.users[0]?.email ?? "no users"}</div>
              </Td>
              <Td>{e.product.name}</Td>
              <Td>
                <StateBadge state={displayState(e, e.product.gracePeriodDays, now)} />
              </Td>
              <Td>
                <DateTime value={e.expiresAt} />
              </Td>
              <Td className="font-mono text-xs">{e.customer.identities[0]?.userName ?? "—"}</Td>
            </tr>
          ))}
        </DataTable>
        <Pagination basePath="/admin/entitlements" page={page} pageCount={Math.ceil(total / PAGE_SIZE)} params={{ q }} />
      </Section>
    </>
  );
}
