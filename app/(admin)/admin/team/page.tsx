import type { Metadata } from "next";
import { TeamRoleForm } from "@/components/admin/team-role-form";
import { UserInviteForm } from "@/components/admin/team-invite-form";
import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { listTeam } from "@/lib/users/list-team";
import { roleLabels, roleOptions } from "@/lib/users/roles";
import { vendorPage } from "../vendor-guard";
import { changeTeamRoleAction, inviteTeamMemberAction, removeTeamMemberAction } from "./actions";
import { MemberEmailCell, RemoveMemberCell } from "@/components/users/member-cells";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Team" };

async function loadTeam() {
  const user = await vendorPage();
  return { user, members: await listTeam(null) };
}

export default async function TeamPage() {
  const { user, members } = await loadTeam();
  // Hides the controls; the actions check again with requireVendorOwner().
  const manages = user.role === "VENDOR_OWNER";
  const roles = roleOptions(null);
  const columns = ["Email", "Name", "Role", "Status", "Last sign-in", ...(manages ? ["Actions"] : [])];
  return (
    <>
      <PageHeader
        title="Team"
        description="Vendor staff who can sign in here. Owners manage the team; admins change customers, entitlements and products; viewers can look but change nothing."
      />
      {manages ? (
        <Section title="Invite a team member" description="They get an email with a sign-in link that works once and expires in 72 hours.">
          <Card>
            <UserInviteForm action={inviteTeamMemberAction} roles={roles} defaultRole="VENDOR_VIEWER" />
          </Card>
        </Section>
      ) : (
        <p className={`text-sm ${mutedText}`}>Only owners can invite team members, change their roles or remove them.</p>
      )}
      <Section title="Team members">
        <DataTable caption="Team members" columns={columns}>
          {members.length === 0 && <EmptyRow colSpan={columns.length}>No team members.</EmptyRow>}
          {members.map((m) => {
            const self = m.id === user.id;
            return (
              <tr key={m.id}>
                <MemberEmailCell email={m.email} self={self} />
                <Td>{m.name ?? "—"}</Td>
                <Td>{manages ? <TeamRoleForm action={changeTeamRoleAction.bind(null, m.id)} member={{ id: m.id, email: m.email, role: m.role }} roles={roles} /> : roleLabels[m.role]}</Td>
                <Td>{m.lastLoginAt ? <Badge tone="green">Joined</Badge> : <Badge tone="amber">Invited, not signed in yet</Badge>}</Td>
                <Td>
                  <DateTime value={m.lastLoginAt} fallback="Never" />
                </Td>
                {manages && <RemoveMemberCell email={m.email} self={self} action={removeTeamMemberAction.bind(null, m.id)} area="this admin area" />}
              </tr>
            );
          })}
        </DataTable>
      </Section>
    </>
  );
}
