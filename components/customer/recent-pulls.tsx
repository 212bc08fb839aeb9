import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { recentPulls } from "@/lib/activity/ingest-pulls";

/** The customer's latest pulls, as the vendor account's CloudTrail recorded them. */
export async function RecentPulls({ customerId }: { customerId: string }) {
  const pulls = await recentPulls(customerId);
  return (
    <DataTable caption="Your latest image pulls" columns={["When", "Image", "Pulled with"]}>
      {pulls.length === 0 && <EmptyRow colSpan={3}>No pulls recorded yet. A pull shows here about 15 minutes after it happens.</EmptyRow>}
      {pulls.map((p) => (
        <tr key={p.id} data-testid="recent-pull">
          <Td>
            <DateTime value={p.at} />
          </Td>
          <Td className="font-mono text-xs break-all">
            {p.repository}:{p.image} ({p.region})
          </Td>
          <Td className="font-mono text-xs">{p.sourceAccountId ? `account ${p.sourceAccountId}` : (p.accessKeyId ?? "—")}</Td>
        </tr>
      ))}
    </DataTable>
  );
}
