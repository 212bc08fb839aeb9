import type { Metadata } from "next";
import { BulkCreateForm } from "@/components/admin/bulk-create-form";
import { BulkOperationTable } from "@/components/admin/bulk-operation-table";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listBulkOperations } from "@/lib/bulk/bulk-operation-views";
import { parseIdList } from "@/lib/bulk/targets";
import type { SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../vendor-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Bulk actions" };

async function loadBulkActions() {
  const user = await vendorPage();
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return { user, operations: await listBulkOperations(), tomorrow };
}

export default async function BulkActionsPage({ searchParams }: { searchParams: SearchParams }) {
  const { ids } = await searchParams;
  const { user, operations, tomorrow } = await loadBulkActions();
  return (
    <>
      <PageHeader
        title="Bulk actions"
        description="Extend, revoke or re-provision many entitlements at once. The server works through them in the background: you can close this page and come back to follow the progress."
      />
      {canWrite(user) && (
        <Section title="New bulk action">
          <Card>
            <BulkCreateForm initialIds={parseIdList(ids)} minDate={tomorrow} />
          </Card>
        </Section>
      )}
      <Section title="Recent bulk actions">
        <BulkOperationTable operations={operations} />
      </Section>
    </>
  );
}
