import { auditRowSelect, type AuditEventRow } from "@/lib/audit/list-audit-events";
import { db } from "@/lib/db";
import { engineAttention, type Attention } from "@/lib/health/attention";
import { listFailedEntitlements, type FailedEntitlementRow } from "@/lib/health/failed-entitlements-view";
import { overviewCounts, overviewSeries } from "./overview";

export type { Attention };

const FAILURES_SHOWN = 20;
const LATEST_EVENTS = 10;

export type OverviewView = {
  counts: Awaited<ReturnType<typeof overviewCounts>>;
  series: Awaited<ReturnType<typeof overviewSeries>>;
  /** What the engine could not finish on its own. */
  attention: Attention;
  failures: FailedEntitlementRow[];
  events: AuditEventRow[];
};

/** The admin's landing page: entitlement counts and trends, what needs attention, and the latest activity. */
export async function getOverviewView(): Promise<OverviewView> {
  const [counts, series, attention, failures, events] = await Promise.all([
    overviewCounts(),
    overviewSeries(),
    engineAttention(),
    listFailedEntitlements(FAILURES_SHOWN),
    db.auditEvent.findMany({ orderBy: { at: "desc" }, take: LATEST_EVENTS, select: auditRowSelect }),
  ]);
  return { counts, series, attention, failures, events };
}
