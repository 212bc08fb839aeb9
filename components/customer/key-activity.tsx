import { Card } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { keyUsage, type KeyUsage } from "@/lib/credentials/key-usage";

/** The customer's own key usage, read from IAM when the page loads (streamed in after the rest). */
export async function KeyActivity({ customerId }: { customerId: string }) {
  let usage: KeyUsage[];
  try {
    usage = await keyUsage(customerId);
  } catch {
    return (
      <Card>
        <p role="status">Key activity is unavailable right now. Reload the page to try again.</p>
      </Card>
    );
  }
  return (
    <DataTable caption="When your access keys were last used" columns={["Access key id", "Last used", "Service", "Region"]}>
      {usage.length === 0 && <EmptyRow colSpan={4}>You have no access keys.</EmptyRow>}
      {usage.map((k) => (
        <tr key={k.accessKeyId} data-testid={`key-usage-${k.accessKeyId}`}>
          <Td className="font-mono text-xs">{k.accessKeyId}</Td>
          <Td>
            <DateTime value={k.lastUsedAt} fallback="Never" />
          </Td>
          <Td>{k.service ?? "—"}</Td>
          <Td>{k.region ?? "—"}</Td>
        </tr>
      ))}
    </DataTable>
  );
}

export function KeyActivityLoading() {
  return (
    <Card>
      <p role="status">Reading your keys&apos; last use from AWS…</p>
    </Card>
  );
}
