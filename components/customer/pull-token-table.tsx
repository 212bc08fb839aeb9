import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { mutedText } from "@/components/ui/styles";
import type { PullTokenRow } from "@/lib/pull-tokens/pull-tokens-view";

type Props = {
  tokens: PullTokenRow[];
  /** Each live token's action cell, where the viewer may revoke tokens. */
  revoke?: (token: PullTokenRow) => ReactNode;
};

/** The customer's pull tokens: which is which by name and prefix, who made it, and whether it still works. */
export function PullTokenTable({ tokens, revoke }: Props) {
  const columns = ["Name", "Prefix", "Made by", "Created", "Expires", "Last used", "Status", ...(revoke ? ["Actions"] : [])];
  return (
    <DataTable caption="Your organisation's pull tokens" columns={columns}>
      {tokens.length === 0 && <EmptyRow colSpan={columns.length}>No pull tokens yet.</EmptyRow>}
      {tokens.map((t) => (
        <tr key={t.id} data-testid={`pull-token-${t.prefix}`}>
          <Td>{t.name}</Td>
          <Td className="font-mono text-xs">{t.prefix}…</Td>
          <Td>{t.makerEmail ?? "a former member"}</Td>
          <Td>
            <DateTime value={t.createdAt} />
          </Td>
          <Td>
            <DateTime value={t.expiresAt} fallback="Never" />
          </Td>
          <Td>
            <DateTime value={t.lastUsedAt} fallback="Never" />
          </Td>
          <Td>
            <TokenStatus token={t} />
          </Td>
          {revoke && <Td>{t.status === "active" && revoke(t)}</Td>}
        </tr>
      ))}
    </DataTable>
  );
}

function TokenStatus({ token }: { token: PullTokenRow }) {
  switch (token.status) {
    case "active":
      return <Badge tone="green">active</Badge>;
    case "expired":
      return <Badge tone="gray">expired</Badge>;
    case "revoked":
      return (
        <span>
          <Badge tone="gray">revoked</Badge> <DateTime value={token.revokedAt} />
          {token.revokedReason && <div className={`text-xs ${mutedText}`}>{token.revokedReason}</div>}
        </span>
      );
  }
}
