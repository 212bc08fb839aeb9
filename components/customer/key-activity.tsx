import { Card } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { FormAction } from "@/components/ui/use-form-action";
import { keyUsage, type KeyUsage } from "@/lib/credentials/key-usage";
import { RetireKeyButton } from "./retire-key-button";

/**
 * The customer's own key usage, read from IAM when the page loads (streamed in after the rest).
 * A key being rotated out shows until when it works, beside its last use, to retire it sooner.
 */
export async function KeyActivity({ customerId, retire }: { customerId: string; retire: FormAction }) {
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
    <DataTable caption="When your access keys were last used" columns={["Access key id", "State", "Last used", "Service", "Region", "Action"]}>
      {usage.length === 0 && <EmptyRow colSpan={6}>You have no access keys.</EmptyRow>}
      {usage.map((k) => (
        <tr key={k.accessKeyId} data-testid={`key-usage-${k.accessKeyId}`}>
          <Td className="font-mono text-xs">{k.accessKeyId}</Td>
          <Td>
            {k.retiringUntil ? (
              <>
                Previous key, works until <DateTime value={k.retiringUntil} />
              </>
            ) : (
              "Current"
            )}
          </Td>
          <Td>
            <DateTime value={k.lastUsedAt} fallback="Never" />
          </Td>
          <Td>{k.service ?? "—"}</Td>
          <Td>{k.region ?? "—"}</Td>
          <Td>{k.retiringUntil ? <RetireKeyButton accessKeyId={k.accessKeyId} retire={retire} /> : "—"}</Td>
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
