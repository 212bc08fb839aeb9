import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import type { EntitlementDetail } from "@/lib/entitlements/entitlement-view";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{label}</dt>
      <dd className="mt-0.5 break-words">{children}</dd>
    </div>
  );
}

export function EntitlementFacts({ entitlement: e }: { entitlement: EntitlementDetail }) {
  return (
    <Card>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Product">
          {e.product.name} <span className="font-mono text-xs">({e.product.slug})</span>
        </Fact>
        <Fact label="Status">{e.status}</Fact>
        <Fact label="Sync status">
          {e.syncStatus} <span className="text-sm text-slate-600 dark:text-slate-300">({e.syncAttempts} attempts)</span>
        </Fact>
        {e.syncError && (
          <Fact label="Sync error">
            <span className="font-medium text-red-800 dark:text-red-200">{e.syncError}</span>
          </Fact>
        )}
        <Fact label="Last synced">
          <DateTime value={e.syncedAt} fallback="Never" />
        </Fact>
        <Fact label="Starts">
          <DateTime value={e.startsAt} />
        </Fact>
        <Fact label="Expires">
          <DateTime value={e.expiresAt} />
          {e.product.gracePeriodDays > 0 && ` (+${e.product.gracePeriodDays} days grace)`}
        </Fact>
        {e.endedAt && (
          <Fact label="Ended">
            <DateTime value={e.endedAt} /> {e.endedReason && `: ${e.endedReason}`}
          </Fact>
        )}
        <Fact label="Kind and source">
          {e.kind} · {e.source}
          {e.autoRenews && " · renews automatically"}
        </Fact>
        <Fact label="External reference">{e.externalRef ?? "—"}</Fact>
        <Fact label="Entitlement id">
          <span className="font-mono text-xs">{e.id}</span>
        </Fact>
      </dl>
    </Card>
  );
}
