import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { linkClass } from "@/components/ui/styles";
import { ITEM_STATUS_LABELS, type BulkItemStatus } from "@/lib/bulk/bulk-terms";
import type { BulkItemRow, ItemCounts } from "@/lib/bulk/bulk-operation-views";

const itemTones: Record<BulkItemStatus, BadgeTone> = { PENDING: "gray", OK: "green", SKIPPED: "amber", FAILED: "red" };

export function BulkItemTable({ items, filtered }: { items: BulkItemRow[]; filtered: boolean }) {
  return (
    <DataTable caption="Results, one row per entitlement" columns={["#", "Input", "Entitlement", "Result", "Message", "Processed"]}>
      {items.length === 0 && <EmptyRow colSpan={6}>{filtered ? "No items with this result." : "No items."}</EmptyRow>}
      {items.map((item) => (
        <tr key={item.id}>
          <Td className="tabular-nums">{item.position}</Td>
          <Td className="max-w-xs font-mono text-xs break-all">{item.input}</Td>
          <Td>
            {item.entitlementId ? (
              <Link href={`/admin/entitlements/${item.entitlementId}`} className={linkClass}>
                {item.entitlement ? `${item.entitlement.customerName}: ${item.entitlement.productName}` : item.entitlementId}
              </Link>
            ) : (
              "—"
            )}
          </Td>
          <Td>
            <Badge tone={itemTones[item.status]}>{ITEM_STATUS_LABELS[item.status]}</Badge>
          </Td>
          <Td className="max-w-md break-words">{item.message ?? "—"}</Td>
          <Td>
            <DateTime value={item.processedAt} />
          </Td>
        </tr>
      ))}
    </DataTable>
  );
}

const FILTERS: { status?: BulkItemStatus; label: string; count: (c: ItemCounts) => number }[] = [
  { label: "All", count: (c) => c.total },
  { status: "FAILED", label: "Failed", count: (c) => c.failed },
  { status: "SKIPPED", label: "Skipped", count: (c) => c.skipped },
  { status: "OK", label: "Done", count: (c) => c.ok },
  { status: "PENDING", label: "Waiting", count: (c) => c.pending },
];

/** Links that narrow the results to one outcome; the current one carries aria-current. */
export function BulkItemFilter({ basePath, counts, current }: { basePath: string; counts: ItemCounts; current?: BulkItemStatus }) {
  return (
    <nav aria-label="Show results" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {FILTERS.map((f) => (
        <Link
          key={f.label}
          href={f.status ? `${basePath}?status=${f.status}` : basePath}
          aria-current={f.status === current ? "page" : undefined}
          className={`${linkClass} aria-[current=page]:font-bold aria-[current=page]:no-underline`}
        >
          {f.label} ({f.count(counts).toLocaleString("en-US")})
        </Link>
      ))}
    </nav>
  );
}
