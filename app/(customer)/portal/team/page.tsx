import type { Metadata } from "next";
import { UserInviteForm } from "@/components/admin/team-invite-form";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { listTeam } from "@/lib/users/list-team";
import { roleLabels, roleOptions } from "@/lib/users/roles";
import { customerPage } from "../customer-guard";
import { inviteTeamUserAction, removeTeamUserAction } from "./actions";
import { MemberEmailCell, RemoveMemberCell } from "@/components/users/member-cells";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your team" };

async function loadTeam() {
  const user = await customerPage();
  // Only the signed-in user's own customer is listed.
  return { user, members: await listTeam(user.customerId) };
}

export default async function TeamPage() {
  const { user, members } = await loadTeam();
  // Hides the controls; the actions check again with requireCustomerOwner().
  const manages = user.role === "CUSTOMER_OWNER";
  const columns = ["Email", "Name", "Role", "Last sign-in", ...(manages ? ["Actions"] : [])];
  return (
    <>
      <PageHeader title="Your team" description="People in your organisation who can sign in here. Owners invite and remove users; members can see the list." />
      {manages ? (
        <Section title="Invite a user" description="They get an email with a sign-in link that works once and expires in 72 hours.">
          <Card>
            <UserInviteForm action={inviteTeamUserAction} roles={roleOptions(user.customerId)} defaultRole="CUSTOMER_MEMBER" />
          </Card>
        </Section>
      ) : (
        <p className={`text-sm ${mutedText}`}>Only owners can invite or remove users. Ask an owner of your organisation.</p>
      )}
      <Section title="Users">
        <DataTable caption="Users of your organisation" columns={columns}>
          {members.length === 0 && <EmptyRow colSpan={columns.length}>No users.</EmptyRow>}
          {members.map((m) => {
            const self = m.id === user.id;
            return (
              <tr key={m.id}>
                <MemberEmailCell email={m.email} self={self} />
                <Td>{m.name ?? "—"}</Td>
                <Td>{roleLabels[m.role]}</Td>
                <Td>
                  <DateTime value={m.lastLoginAt} fallback="Not signed in yet" />
                </Td>
                {manages && <RemoveMemberCell email={m.email} self={self} action={removeTeamUserAction.bind(null, m.id)} area="this portal" />}
              </tr>
            );
          })}
        </DataTable>
      </Section>
    </>
  );
}
