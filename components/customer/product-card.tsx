import { Badge, StateBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { linkClass } from "@/components/ui/styles";
import type { DownloadProduct } from "@/lib/customers/customer-downloads";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { TagList } from "./tag-list";

function AccessLine({ p }: { p: DownloadProduct }) {
  switch (p.state) {
    case "scheduled":
      return <>Access starts <DateTime value={p.startsAt} />.</>;
    case "provisioning":
      return <>Your access is being set up. This page updates by itself; it usually takes under a minute.</>;
    case "failed":
      return <>Setting up your access did not finish. Your vendor can see the problem and will retry.</>;
    case "revoking":
    case "revoked":
      return <>Access to this product has ended.</>;
    case "expired":
      return <>Access ended on <DateTime value={accessEndsAt(p.expiresAt, p.gracePeriodDays)} />.</>;
    case "suspended":
      return <>Access is suspended. Contact your vendor.</>;
    case "grace":
      return (
        <>
          Your term ended on <DateTime value={p.expiresAt} />. A grace period keeps access until{" "}
          <DateTime value={accessEndsAt(p.expiresAt, p.gracePeriodDays)} />; renew to keep it.
        </>
      );
    case "active":
      if (p.autoRenews) return <>Your subscription renews automatically on <DateTime value={p.expiresAt} />.</>;
      return (
        <>
          Access until <DateTime value={p.expiresAt} />
          {p.gracePeriodDays > 0 && <>, plus a {p.gracePeriodDays}-day grace period after that</>}.
        </>
      );
  }
}

// Renewal is offered from this many days before pulls stop, and after.
const RENEWAL_WINDOW_DAYS = 30;

function countdown(days: number) {
  if (days <= 0) return null;
  return days === 1 ? "1 day left" : `${days} days left`;
}

export function ProductCard({ product: p }: { product: DownloadProduct }) {
  const ending = (p.state === "active" && !p.autoRenews) || p.state === "grace";
  const left = ending ? countdown(p.daysLeft) : null;
  const renewable = p.renewalUrl && (p.state === "expired" || p.state === "grace" || (ending && p.daysLeft <= RENEWAL_WINDOW_DAYS));
  const headingId = `product-${p.entitlementId}`;
  return (
    <Card>
      <article aria-labelledby={headingId} className="space-y-4">
        <div className="flex flex-wrap items-center gap-3">
          <h3 id={headingId} className="text-lg font-semibold">
            {p.productName}
          </h3>
          <StateBadge state={p.state} testId="product-state" />
          {p.trial && <Badge tone="blue">Trial</Badge>}
          {left && (
            <span className="text-sm font-medium" data-testid="days-left">
              {left}
            </span>
          )}
        </div>
        <p className="text-sm">
          <AccessLine p={p} />
        </p>
        {ending && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            After <DateTime value={accessEndsAt(p.expiresAt, p.gracePeriodDays)} /> your key and accounts can no longer log in to these
            repositories or pull from them; containers already running keep running.
          </p>
        )}
        {renewable && (
          <p>
            <a href={p.renewalUrl!} className={linkClass} target="_blank" rel="noopener noreferrer" data-testid="renew-link">
              Renew {p.productName}
            </a>
          </p>
        )}
        {p.usable &&
          p.repositories.map((r) => (
            <div key={r.id} className="space-y-2 border-t border-slate-200 pt-4 dark:border-slate-700">
              <h4 className="font-semibold">{r.name}</h4>
              <p className="font-mono text-xs break-all text-slate-600 dark:text-slate-300">
                {r.uri} ({r.region})
              </p>
              <TagList uri={r.uri} tags={r.tags} />
            </div>
          ))}
      </article>
    </Card>
  );
}
