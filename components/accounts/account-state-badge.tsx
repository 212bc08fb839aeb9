import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AccountState } from "@/lib/customers/customer-accounts-view";

const badges: Record<AccountState, { tone: BadgeTone; label: string }> = {
  granted: { tone: "green", label: "Can pull" },
  pending: { tone: "blue", label: "Being granted" },
  "no-access": { tone: "gray", label: "No active product" },
};

/** Whether a customer's own account is in every repository policy it should be in. */
export function AccountStateBadge({ state }: { state: AccountState }) {
  return <Badge tone={badges[state].tone}>{badges[state].label}</Badge>;
}
