import type { Metadata } from "next";
import { AuditTable, auditRowSelect } from "@/components/admin/audit-table";
import { Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SearchForm } from "@/components/ui/search-form";
import { db } from "@/lib/db";
import { param, type SearchParams } from "@/app/form-values";
import { vendorPage } from "../vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const LIMIT = 200;

async function loadEvents(action: string | undefined) {
  await vendorPage();
  return db.auditEvent.findMany({
    where: action ? { action: { startsWith: action } } : {},
    orderBy: { at: "desc" },
    take: LIMIT,
    select: auditRowSelect,
  });
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const action = param((await searchParams).action);
  const events = await loadEvents(action);
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`The latest ${LIMIT} events${action ? ` whose action starts with “${action}”` : ""}, newest first. Events cannot be changed or deleted.`}
      />
      <Section title="Events">
        <SearchForm label="Action starts with" name="action" value={action} placeholder="e.g. entitlement. or aws." submitLabel="Filter" />
        <AuditTable caption="Audit events" events={events} />
      </Section>
    </>
  );
}
