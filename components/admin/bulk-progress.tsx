import { Badge, type BadgeTone } from "@/components/ui/badge";
import { OPERATION_STATUS_LABELS, type BulkOperationStatus } from "@/lib/bulk/bulk-terms";
import type { ItemCounts } from "@/lib/bulk/bulk-operation-views";

const statusTones: Record<BulkOperationStatus, BadgeTone> = { QUEUED: "gray", RUNNING: "blue", DONE: "green", CANCELLED: "amber" };

export function BulkStatusBadge({ status }: { status: BulkOperationStatus }) {
  return <Badge tone={statusTones[status]}>{OPERATION_STATUS_LABELS[status]}</Badge>;
}

const count = (n: number) => n.toLocaleString("en-US");

/** "120 of 300 processed: 110 done, 4 failed, 6 skipped" */
export const progressText = ({ total, pending, ok, failed, skipped }: ItemCounts) =>
  `${count(total - pending)} of ${count(total)} processed: ${count(ok)} done, ${count(failed)} failed, ${count(skipped)} skipped`;

/** The bar and the counts; the counts sit in a polite live region, so progress is announced as the page refreshes. */
export function BulkProgress({ status, counts }: { status: BulkOperationStatus; counts: ItemCounts }) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span id="bulk-progress-label" className="text-sm font-semibold">
          Progress
        </span>
        <BulkStatusBadge status={status} />
      </div>
      <progress
        aria-labelledby="bulk-progress-label"
        aria-describedby="bulk-progress-counts"
        max={Math.max(counts.total, 1)}
        value={counts.total - counts.pending}
        className="h-3 w-full accent-indigo-700 dark:accent-indigo-400"
        data-testid="bulk-progress"
      />
      <p id="bulk-progress-counts" role="status" className="text-sm tabular-nums">
        {progressText(counts)}.
      </p>
    </div>
  );
}
