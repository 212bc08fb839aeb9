import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable, auditRowSelect } from "@/components/admin/audit-table";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass } from "@/components/ui/styles";
import { db } from "@/lib/db";
import { vendorPage } from "./vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

const DAY_MS = 86_400_000;

// Counts use stored columns (not displayState) so they stay single SQL counts at any size.
async function loadOverview() {
  await vendorPage();
  const now = new Date();
  const started = { status: "ACTIVE" as const, startsAt: { lte: now } };
  const [active, provisioning, failed, expiring, failures, events] = await Promise.all([
    db.entitlement.count({ where: { ...started, syncStatus: "SYNCED", expiresAt: { gt: now } } }),
    db.entitlement.count({ where: { ...started, syncStatus: "PENDING" } }),
    db.entitlement.count({ where: { syncStatus: "FAILED" } }),
    db.entitlement.count({ where: { status: "ACTIVE", expiresAt: { gt: now, lte: new Date(now.getTime() + 30 * DAY_MS) } } }),
    db.entitlement.findMany({
      where: { syncStatus: "FAILED" },
      orderBy: { updatedAt: "desc" },
      take: 20,
      select: { id: true, syncError: true, customer: { select: { name: true } }, product: { select: { name: true } } },
    }),
    db.auditEvent.findMany({ orderBy: { at: "desc" }, take: 10, select: auditRowSelect }),
  ]);
  return { counts: { active, provisioning, failed, expiring }, failures, events };
}

export default async function AdminOverview() {
  const data = await loadOverview();
  const { counts, failures, events } = data;
  const tiles = [
    { label: "Active", value: counts.active },
    { label: "Provisioning", value: counts.provisioning },
    { label: "Failed", value: counts.failed },
    { label: "Expiring in 30 days", value: counts.expiring },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Entitlements across all customers." />
      <Section title="Entitlements at a glance">
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
          {tiles.map((t) => (
            <Card key={t.label}>
              <dt className="text-sm font-medium text-slate-600 dark:text-slate-300">{t.label}</dt>
              <dd className="mt-1 text-3xl font-bold">{t.value}</dd>
            </Card>
          ))}
        </dl>
      </Section>
      <Section title="Failed provisioning" description="AWS could not be brought in line with these entitlements.">
        <DataTable caption="Entitlements whose provisioning failed" columns={["Customer", "Product", "Error", "Details"]}>
          {failures.length === 0 && <EmptyRow colSpan={4}>Nothing has failed.</EmptyRow>}
          {failures.map((f) => (
            <tr key={f.id}>
              <Td>{f.customer.name}</Td>
              <Td>{f.product.name}</Td>
              <Td className="max-w-md break-words text-red-800 dark:text-red-200">{f.syncError ?? "Unknown error"}</Td>
              <Td>
                <Link href={`/admin/entitlements/${f.id}`} className={linkClass}>
                  Open<span className="sr-only"> entitlement of {f.customer.name}</span>
                </Link>
              </Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section
        title="Latest activity"
        actions={
          <Link href="/admin/audit" className={`text-sm ${linkClass}`}>
            Full audit log
          </Link>
        }
      >
        <AuditTable caption="Latest 10 audit events" events={events} />
      </Section>
    </>
  );
}
