import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { AccountState } from "@/lib/customers/customer-accounts-view";

const badges: Record<AccountState, { tone: BadgeTone; label: string }> = {
  granted: { tone: "green", label: "Can pull" },
  pending: { tone: "blue", label: "Being granted" },
  "no-access": { tone: "gray", label: "No active product" },
};

type Account = { id: string; accountId: string; createdAt: Date; state: AccountState; proven: boolean };

type Props = {
  caption: string;
  empty: string;
  accounts: Account[];
  /** Each row's action cell, where the viewer may change the accounts. */
  action?: (account: Account) => ReactNode;
  testIdPrefix: string;
};

/** A customer's own AWS accounts, whether each is proven, and whether each is in every repository policy it should be in. */
export function AccountTable({ caption, empty, accounts, action, testIdPrefix }: Props) {
  const columns = ["Account", "Registered", "State", ...(action ? ["Actions"] : [])];
  return (
    <DataTable caption={caption} columns={columns}>
      {accounts.length === 0 && <EmptyRow colSpan={columns.length}>{empty}</EmptyRow>}
      {accounts.map((a) => (
        <tr key={a.id} data-testid={`${testIdPrefix}${a.accountId}`}>
          <Td className="font-mono">{a.accountId}</Td>
          <Td>
            <DateTime value={a.createdAt} />
          </Td>
          <Td>
            <Badge tone={badges[a.state].tone}>{badges[a.state].label}</Badge>
            {/* Anyone can type any account id: until proven, an account gets no new grant and no pull history. */}
            {!a.proven && (
              <span className="ml-2" data-testid={`${testIdPrefix}${a.accountId}-unproven`}>
                <Badge tone="amber">Unproven: prove it</Badge>
              </span>
            )}
          </Td>
          {action && <Td>{action(a)}</Td>}
        </tr>
      ))}
    </DataTable>
  );
}
