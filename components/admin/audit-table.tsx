import Link from "next/link";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { linkClass } from "@/components/ui/styles";

export type AuditRow = {
  id: bigint;
  at: Date;
  actorLabel: string;
  action: string;
  entitlementId: string | null;
  customer: { id: string; name: string } | null;
  data: unknown;
};

/** Select these fields for AuditTable rows. */

function compact(data: unknown) {
  if (data === null || data === undefined) return "";
  const json = JSON.stringify(data);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

type Props = { caption: string; events: AuditRow[]; showCustomer?: boolean; emptyText?: string };

export function AuditTable({ caption, events, showCustomer = true, emptyText = "No events yet." }: Props) {
  const columns = ["Time", "Actor", "Action", ...(showCustomer ? ["Customer"] : []), "Details"];
  return (
    <DataTable caption={caption} columns={columns}>
      {events.length === 0 && <EmptyRow colSpan={columns.length}>{emptyText}</EmptyRow>}
      {events.map((e) => (
        <tr key={e.id.toString()}>
          <Td>
            <DateTime value={e.at} />
          </Td>
          <Td className="break-all">{e.actorLabel}</Td>
          <Td>
            {e.entitlementId ? (
              <Link href={`/admin/entitlements/${e.entitlementId}`} className={`font-mono text-xs ${linkClass}`}>
                {e.action}
              </Link>
            ) : (
              <span className="font-mono text-xs">{e.action}</span>
            )}
          </Td>
          {showCustomer && (
            <Td>
              {e.customer ? (
                <Link href={`/admin/customers/${e.customer.id}`} className={linkClass}>
                  {e.customer.name}
                </Link>
              ) : (
                "—"
              )}
            </Td>
          )}
          <Td>
            <code className="font-mono text-xs break-all">{compact(e.data)}</code>
          </Td>
        </tr>
      ))}
    </DataTable>
  );
}
