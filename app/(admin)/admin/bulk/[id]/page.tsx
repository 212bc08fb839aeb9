import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BulkItemFilter, BulkItemTable } from "@/components/admin/bulk-item-table";
import { BulkProgress } from "@/components/admin/bulk-progress";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { buttonClass } from "@/components/ui/button";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { linkClass } from "@/components/ui/styles";
import { getBulkOperationView, itemQuerySchema, type ItemQuery } from "@/lib/bulk/bulk-operation-views";
import { BULK_KINDS } from "@/lib/bulk/bulk-terms";
import { param, type SearchParams } from "@/app/form-values";
import { canWrite, vendorPage } from "../../vendor-guard";
import { cancelBulkOperationAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Bulk action" };

async function loadBulkAction(id: string, query: ItemQuery) {
  const user = await vendorPage();
  const detail = await getBulkOperationView(id, query);
  if (!detail) notFound();
  return { user, ...detail };
}

export default async function BulkActionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id } = await params;
  const sp = await searchParams;
  const query = itemQuerySchema.parse({ status: param(sp.status), page: param(sp.page) });
  const { user, operation, counts, items, page, pageCount } = await loadBulkAction(id, query);
  const basePath = `/admin/bulk/${operation.id}`;
  const { expiresAt, reason } = operation.params;
  return (
    <>
      <AutoRefresh active={!operation.finishedAt} />
      <PageHeader
        title={`${BULK_KINDS[operation.kind].label}: ${counts.total.toLocaleString("en-US")} items`}
        description={
          <>
            Started by {operation.createdByLabel} on <DateTime value={operation.createdAt} />
            {operation.finishedAt && (
              <>
                , ended <DateTime value={operation.finishedAt} />
              </>
            )}
            .{" "}
            <Link href="/admin/bulk" className={linkClass}>
              All bulk actions
            </Link>
          </>
        }
      />
      <Section title="Progress" description={operation.finishedAt ? undefined : "This page refreshes by itself; the work goes on if you close it."}>
        <Card>
          <div className="space-y-4">
            <BulkProgress status={operation.status} counts={counts} />
            {(expiresAt || reason) && (
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                {expiresAt && (
                  <>
                    <dt className="font-medium">New expiry</dt>
                    <dd>
                      <DateTime value={expiresAt} /> (a CSV row&apos;s own date overrides it)
                    </dd>
                  </>
                )}
                {reason && (
                  <>
                    <dt className="font-medium">Reason</dt>
                    <dd>{reason}</dd>
                  </>
                )}
              </dl>
            )}
            <div className="flex flex-wrap items-start gap-3">
              <a href={`${basePath}/results`} download className={buttonClass("secondary")}>
                Download the results (CSV)
              </a>
              {canWrite(user) && !operation.finishedAt && operation.status !== "CANCELLED" && (
                <ConfirmAction
                  action={cancelBulkOperationAction.bind(null, operation.id)}
                  triggerLabel="Stop this bulk action"
                  confirmLabel="Yes, stop it"
                  prompt="Items not yet applied are skipped. Changes already applied stay as they are."
                  triggerTestId="bulk-stop"
                  confirmTestId="bulk-stop-confirm"
                />
              )}
            </div>
          </div>
        </Card>
      </Section>
      <Section title="Results">
        <BulkItemFilter basePath={basePath} counts={counts} current={query.status} />
        <BulkItemTable items={items} filtered={Boolean(query.status)} />
        <Pagination basePath={basePath} page={page} pageCount={pageCount} params={{ status: query.status }} />
      </Section>
    </>
  );
}
