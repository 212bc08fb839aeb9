import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { AuditTable } from "@/components/admin/audit-table";
import { EntitlementFacts } from "@/components/admin/entitlement-facts";
import { IdentityPanel } from "@/components/admin/identity-panel";
import { ActionButton, ExtendControl, RevokeControl, RotateKeyControl, SuspendControl } from "@/components/admin/entitlement-actions";
import { LiveAwsPanel, LiveAwsPanelLoading } from "@/components/admin/live-aws-panel";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { Badge, StateBadge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass } from "@/components/ui/styles";
import { getEntitlementView } from "@/lib/entitlements/entitlement-view";
import { canWrite, vendorPage } from "../../vendor-guard";
import {
  convertTrialAction,
  extendEntitlementAction,
  reprovisionEntitlementAction,
  resumeEntitlementAction,
  revokeEntitlementAction,
  rotateAccessKeyAction,
  suspendEntitlementAction,
} from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Entitlement" };

async function loadEntitlement(id: string) {
  const user = await vendorPage();
  const now = new Date();
  const view = await getEntitlementView(id, now);
  if (!view) notFound();
  return { user, ...view, now };
}

export default async function EntitlementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await loadEntitlement(id);
  const { user, entitlement: e, identity, workloadRole, events, now } = data;
  const { state } = e;
  const moving = state === "provisioning" || state === "revoking";
  const writable = canWrite(user);
  const open = e.status === "ACTIVE" || e.status === "SUSPENDED";
  const hasKey = identity?.accessKeys.some((k) => k.status === "ACTIVE") ?? false;
  const earliestExtension = new Date(Math.max(now.getTime(), e.expiresAt.getTime()) + 86_400_000).toISOString().slice(0, 10);

  return (
    <>
      <AutoRefresh active={moving} />
      <PageHeader
        title={`${e.customer.name}: ${e.product.name}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StateBadge state={state} testId="entitlement-state" />
            {e.kind === "TRIAL" && <Badge tone="blue">Trial</Badge>}
            <span>
              Customer{" "}
              <Link href={`/admin/customers/${e.customer.id}`} className={linkClass}>
                {e.customer.name}
              </Link>
              {e.customer.email && ` (${e.customer.email})`}
            </span>
          </span>
        }
      />
      <p role="status" className="text-sm text-slate-600 empty:hidden dark:text-slate-300">
        {moving ? "AWS is being updated. This page refreshes every 3 seconds until it is done." : ""}
      </p>
      {e.syncStatus === "FAILED" && (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">Provisioning failed</p>
          <p className="mt-1 text-sm break-words">{e.syncError ?? "No error was recorded."}</p>
        </div>
      )}
      {writable && (
        <Section title="Actions">
          <Card className="space-y-6">
            {e.status !== "REVOKED" && <ExtendControl action={extendEntitlementAction.bind(null, e.id)} minDate={earliestExtension} />}
            <div className="flex flex-wrap items-start gap-6">
              {e.kind === "TRIAL" && e.status === "ACTIVE" && (
                <ActionButton action={convertTrialAction.bind(null, e.id)} label="Convert to paid" pendingLabel="Converting…" testId="convert-button" />
              )}
              {e.status === "ACTIVE" && <SuspendControl action={suspendEntitlementAction.bind(null, e.id)} />}
              {e.status === "SUSPENDED" && (
                <ActionButton action={resumeEntitlementAction.bind(null, e.id)} label="Resume" pendingLabel="Resuming…" testId="resume-button" />
              )}
              <ActionButton action={reprovisionEntitlementAction.bind(null, e.id)} label="Re-provision" pendingLabel="Checking AWS…" testId="reprovision-button" />
              {hasKey && <RotateKeyControl action={rotateAccessKeyAction.bind(null, e.customerId)} />}
              {open && <RevokeControl action={revokeEntitlementAction.bind(null, e.id)} />}
            </div>
          </Card>
        </Section>
      )}
      <p>
        <Link href={`/admin/access-check?customer=${e.customerId}&product=${e.productId}`} className={linkClass}>
          Check in AWS whether this customer can pull {e.product.name} now
        </Link>
      </p>
      <Section title="Details">
        <EntitlementFacts entitlement={e} />
      </Section>
      <IdentityPanel identity={identity} repositories={e.product.repositories} />
      <Suspense fallback={<LiveAwsPanelLoading />}>
        <LiveAwsPanel
          desired={{
            customerId: e.customerId,
            userName: identity?.userName ?? null,
            keyIds: identity?.accessKeys.map((k) => k.accessKeyId) ?? [],
            wantedRepositoryIds: identity?.grants.filter((g) => g.desired).map((g) => g.repositoryId) ?? [],
            workloadRole,
          }}
          repositories={e.product.repositories}
        />
      </Suspense>
      <Section title="Timeline" description="Events of this entitlement and AWS changes for this customer, newest first.">
        <AuditTable caption="Audit timeline of this entitlement" events={events} showCustomer={false} />
      </Section>
    </>
  );
}
