import type { Metadata } from "next";
import { AuditTable } from "@/components/admin/audit-table";
import { Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { auditQuerySchema, hasAuditFilters, knownAuditActions, listAuditEvents, type AuditQuery } from "@/lib/audit/list-audit-events";
import { param, type SearchParams } from "@/app/form-values";
import { vendorPage } from "../vendor-guard";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditPager } from "@/components/admin/audit-pager";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

async function loadEvents(query: AuditQuery) {
  await vendorPage();
  const [page, actions] = await Promise.all([listAuditEvents(query), knownAuditActions()]);
  return { ...page, actions };
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = auditQuerySchema.parse(Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, param(v)])));
  const { events, newer, older, actions } = await loadEvents(query);
  const filtered = hasAuditFilters(query);
  return (
    <>
      <PageHeader title="Audit log" description="Who did what and when, newest first, 50 events to a page. Events cannot be changed or deleted." />
      <Section title="Events">
        <AuditFilters filters={query} actions={actions} />
        <AuditTable caption="Audit events" events={events} emptyText={filtered ? "No events match these filters." : "No events yet."} />
        <AuditPager filters={query} newer={newer} older={older} />
      </Section>
    </>
  );
}
