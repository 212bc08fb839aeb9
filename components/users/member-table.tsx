import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { FormAction } from "@/components/ui/use-form-action";
import type { TeamMember } from "@/lib/users/list-team";
import { roleLabels } from "@/lib/users/roles";

// The user lists of the vendor team, of a customer seen by the vendor, and of a customer's own
// organisation: the same table, each page deciding what may be changed in it.

type Props = {
  caption: string;
  members: TeamMember[];
  empty: string;
  /** The signed-in user's id: marked "you", and offered no removal (the use case refuses it; another owner does it). */
  selfId?: string;
  /** The role cell where the page lets it be changed; its label otherwise. */
  role?: (member: TeamMember) => ReactNode;
  /** Adds a column telling those who have signed in from those only invited. */
  withStatus?: boolean;
  /** Adds how each member last signed in and whether they have a second factor (for the vendor's pages). */
  withSignInDetails?: boolean;
  /** The last sign-in of someone who never signed in. */
  neverSignedIn: string;
  /** Present when the viewer may remove users: the action for one, and what removing them does. */
  remove?: { action: (member: TeamMember) => FormAction; prompt: (email: string) => string };
};

/** The removal prompt of a team: its members sign in to `area` and nothing else. */
export const losesAccessTo = (area: string) => (email: string) => `${email} loses access to ${area} at once, including any session they have open.`;

const signInMethodLabels: Record<string, string> = { password: "Password", link: "Emailed link", passkey: "Passkey", sso: "Single sign-on" };

export function MemberTable({ caption, members, empty, selfId, role, withStatus = false, withSignInDetails = false, neverSignedIn, remove }: Props) {
  const columns = [
    "Email",
    "Name",
    "Role",
    ...(withStatus ? ["Status"] : []),
    "Last sign-in",
    ...(withSignInDetails ? ["Signed in with", "Two-factor"] : []),
    ...(remove ? ["Actions"] : []),
  ];
  return (
    <DataTable caption={caption} columns={columns}>
      {members.length === 0 && <EmptyRow colSpan={columns.length}>{empty}</EmptyRow>}
      {members.map((m) => {
        const self = m.id === selfId;
        return (
          <tr key={m.id}>
            <Td>
              {m.email} {self && <Badge tone="blue">you</Badge>}
            </Td>
            <Td>{m.name ?? "—"}</Td>
            <Td>{role ? role(m) : roleLabels[m.role]}</Td>
            {withStatus && <Td>{memberStatus(m)}</Td>}
            <Td>
              <DateTime value={m.lastLoginAt} fallback={neverSignedIn} />
            </Td>
            {withSignInDetails && (
              <>
                <Td>{m.lastSignInMethod ? (signInMethodLabels[m.lastSignInMethod] ?? m.lastSignInMethod) : "—"}</Td>
                <Td>{m.mfa ? <Badge tone="green">On</Badge> : "Off"}</Td>
              </>
            )}
            {remove && (
              <Td>
                {!self && <ConfirmAction action={remove.action(m)} triggerLabel={`Remove ${m.email}`} confirmLabel="Yes, remove" prompt={remove.prompt(m.email)} />}
              </Td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}

function memberStatus(m: TeamMember) {
  // Shown to vendor staff only: the customer's own list shows a withheld invitation as pending.
  if (m.withheld) return <Badge tone="red">Withheld: the address belongs to another customer or the vendor team</Badge>;
  return m.lastLoginAt ? <Badge tone="green">Joined</Badge> : <Badge tone="amber">Invited, not signed in yet</Badge>;
}
