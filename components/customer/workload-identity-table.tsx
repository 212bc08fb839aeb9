import type { ReactNode } from "react";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { WorkloadIdentityRow } from "@/lib/workload-identities/workload-identities-view";

type Props = {
  workloads: WorkloadIdentityRow[];
  /** Each workload's action cell, where the viewer may remove workloads. */
  remove?: (workload: WorkloadIdentityRow) => ReactNode;
};

/** The workloads the customer trusts: which issuer's tokens, for which audience and subject. */
export function WorkloadIdentityTable({ workloads, remove }: Props) {
  const columns = ["Name", "Where it runs", "Issuer", "Audience", "Subject", "Trusted since", ...(remove ? ["Actions"] : [])];
  return (
    <DataTable caption="Workloads your organisation trusts" columns={columns}>
      {workloads.length === 0 && <EmptyRow colSpan={columns.length}>No trusted workloads yet.</EmptyRow>}
      {workloads.map((w) => (
        <tr key={w.id} data-testid={`workload-${w.id}`}>
          <Td>{w.name}</Td>
          <Td>{w.kindLabel}</Td>
          <Td className="font-mono text-xs break-all">{w.issuer}</Td>
          <Td className="font-mono text-xs">{w.audience}</Td>
          <Td className="font-mono text-xs break-all">{w.subject}</Td>
          <Td>
            <DateTime value={w.createdAt} />
          </Td>
          {remove && <Td>{remove(w)}</Td>}
        </tr>
      ))}
    </DataTable>
  );
}
