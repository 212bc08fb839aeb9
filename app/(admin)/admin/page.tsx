import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { WeekChart } from "@/components/admin/week-chart";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass } from "@/components/ui/styles";
import { getOverviewView, type Attention } from "@/lib/entitlements/overview-view";
import { vendorPage } from "./vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

async function loadOverview() {
  await vendorPage();
  return getOverviewView();
}

export default async function AdminOverview() {
  const { counts, series, attention, failures, events } = await loadOverview();
  const tiles = [
    { label: "Active", value: counts.active, href: "/admin/entitlements?status=active" },
    { label: "Provisioning", value: counts.provisioning, href: "/admin/entitlements?status=pending" },
    { label: "Failed", value: counts.failed, href: "/admin/entitlements?status=failed" },
    { label: "Expiring in 7 days", value: counts.expiring7, href: "/admin/entitlements?expiring=7&sort=expires-soonest" },
    { label: "Expiring in 30 days", value: counts.expiring30, href: "/admin/entitlements?expiring=30&sort=expires-soonest" },
    { label: "Expired", value: counts.expired, href: "/admin/entitlements?status=expired" },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Entitlements across all customers." />
      <NeedsAttention failed={counts.failed} attention={attention} />
      <Section title="Entitlements at a glance">
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
          {tiles.map((t) => (
            <Card key={t.label}>
              <dt className="text-sm font-medium text-slate-600 dark:text-slate-300">
                <Link href={t.href} className={linkClass}>
                  {t.label}
                </Link>
              </dt>
              <dd className="mt-1 text-3xl font-bold">{t.value.toLocaleString("en-US")}</dd>
            </Card>
          ))}
        </dl>
      </Section>
      <Section title="Trends" description="Weeks start on Monday, UTC.">
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <WeekChart title="Active entitlements, last 12 weeks" weeks={series.active} tone="indigo" />
          </Card>
          <Card>
            <WeekChart title="Expiries due, next 12 weeks" weeks={series.expiring} tone="amber" />
          </Card>
        </div>
      </Section>
      <Section title="Failed provisioning" description="AWS could not be brought in line with these entitlements.">
        <DataTable caption="Entitlements whose provisioning failed" columns={["Customer", "Product", "Error", "Details"]}>
          {failures.length === 0 && <EmptyRow colSpan={4}>Nothing has failed.</EmptyRow>}
          {failures.map((f) => (
            <tr key={f.id}>
              <Td>{f.customerName}</Td>
              <Td>{f.productName}</Td>
              <Td className="max-w-md break-words text-red-800 dark:text-red-200">{f.syncError ?? "Unknown error"}</Td>
              <Td>
                <Link href={`/admin/entitlements/${f.id}`} className={linkClass}>
                  Open<span className="sr-only"> entitlement of {f.customerName}</span>
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

/** Everything an admin should act on, each with the page where it is acted on. */
function NeedsAttention({ failed, attention }: { failed: number; attention: Attention }) {
  const { deadLetters, stripeEvents, drift } = attention;
  const driftOpen = drift ? drift.findings - drift.repaired : 0;
  const items = [
    failed > 0 && { text: `${failed.toLocaleString("en-US")} entitlements failed to provision`, href: "/admin/entitlements?status=failed", act: "Review and re-provision" },
    deadLetters > 0 && { text: `${deadLetters.toLocaleString("en-US")} jobs gave up after their retries`, href: "/admin/engine", act: "Retry them on the engine page" },
    stripeEvents > 0 && { text: `${stripeEvents.toLocaleString("en-US")} Stripe events could not be applied yet`, href: "/admin/engine#section-stripe-purchases-not-applied", act: "See why on the engine page" },
    drift?.error && { text: `The last drift audit failed: ${drift.error}`, href: "/admin/engine", act: "See the engine page" },
    driftOpen > 0 && { text: `The last drift audit left ${driftOpen} of ${drift!.findings} differences with AWS unrepaired`, href: "/admin/engine", act: "See the findings" },
  ].filter((item): item is { text: string; href: string; act: string } => Boolean(item));
  return (
    <Section title="Needs attention">
      <Card>
        {items.length === 0 ? (
          <p data-testid="attention-none">Nothing needs attention: provisioning, jobs, Stripe purchases and the last drift audit are all in order.</p>
        ) : (
          <ul className="space-y-2" data-testid="attention-list">
            {items.map((item) => (
              <li key={item.text} className="flex flex-wrap items-baseline gap-x-3">
                <span className="font-medium text-red-800 dark:text-red-200">{item.text}.</span>
                <Link href={item.href} className={linkClass}>
                  {item.act}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Section>
  );
}
