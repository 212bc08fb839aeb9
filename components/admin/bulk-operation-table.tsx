import Link from "next/link";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { linkClass } from "@/components/ui/styles";
import { BULK_KINDS } from "@/lib/bulk/bulk-terms";
import type { BulkOperationRow } from "@/lib/bulk/bulk-operation-views";
import { BulkStatusBadge, progressText } from "./bulk-progress";

export function BulkOperationTable({ operations }: { operations: BulkOperationRow[] }) {
  return (
    <DataTable caption="Recent bulk actions" columns={["Started", "Action", "By", "Status", "Progress"]}>
      {operations.length === 0 && <EmptyRow colSpan={5}>No bulk actions yet.</EmptyRow>}
      {operations.map((o) => (
        <tr key={o.id}>
          <Td>
            <Link href={`/admin/bulk/${o.id}`} className={linkClass}>
              <DateTime value={o.createdAt} />
            </Link>
          </Td>
          <Td>{BULK_KINDS[o.kind].label}</Td>
          <Td>{o.createdByLabel}</Td>
          <Td>
            <BulkStatusBadge status={o.status} />
          </Td>
          <Td className="tabular-nums">{progressText(o.counts)}</Td>
        </tr>
      ))}
    </DataTable>
  );
}
