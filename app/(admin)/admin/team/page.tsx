import type { Metadata } from "next";
import { TeamRoleForm } from "@/components/admin/team-role-form";
import { UserInviteForm } from "@/components/admin/team-invite-form";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { listTeam } from "@/lib/users/list-team";
import { roleOptions } from "@/lib/users/roles";
import { vendorPage } from "../vendor-guard";
import {
  changeTeamRoleAction,
  inviteTeamMemberAction,
  removeTeamMemberAction,
  removeTeamSsoAction,
  resetTeamMemberMfaAction,
  saveTeamSsoAction,
  setTeamMfaRuleAction,
  setTeamSsoOnlyAction,
} from "./actions";
import { MfaResetForm } from "@/components/users/mfa-reset-form";
import { MfaRuleForm } from "@/components/users/mfa-rule-form";
import { vendorMfaRequired } from "@/lib/auth/mfa/mfa-rules";
import { losesAccessTo, MemberTable } from "@/components/users/member-table";
import { SsoOnlyForm } from "@/components/users/sso-only-form";
import { SsoSettings } from "@/components/users/sso-settings";
import { ssoSettingsView } from "@/lib/auth/sso/sso-settings-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Team" };

async function loadTeam() {
  const user = await vendorPage();
  // The single sign-on settings are the owners' alone to see and change.
  const sso = user.role === "VENDOR_OWNER" ? await ssoSettingsView({ kind: "vendor" }) : null;
  return { user, members: await listTeam(null), mfaRequired: await vendorMfaRequired(), sso };
}

export default async function TeamPage() {
  const { user, members, mfaRequired, sso } = await loadTeam();
  // Hides the controls; the actions check again with requireVendorOwner().
  const manages = user.role === "VENDOR_OWNER";
  const roles = roleOptions(null);
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
        <MemberTable
          caption="Team members"
          members={members}
          empty="No team members."
          selfId={user.id}
          role={manages ? (m) => <TeamRoleForm action={changeTeamRoleAction.bind(null, m.id)} member={{ id: m.id, email: m.email, role: m.role }} roles={roles} /> : undefined}
          withStatus
          withSignInDetails
          neverSignedIn="Never"
          remove={manages ? { action: (m) => removeTeamMemberAction.bind(null, m.id), prompt: losesAccessTo("this admin area") } : undefined}
        />
      </Section>
      {manages && (
        <Section title="Two-factor authentication" description="When required, everyone on the team sets up an authenticator app at their next sign-in.">
          <Card>
            <MfaRuleForm action={setTeamMfaRuleAction} required={mfaRequired} who="the vendor team" />
          </Card>
          <Card>
            <MfaResetForm action={resetTeamMemberMfaAction} members={members.filter((m) => m.id !== user.id && !m.withheld)} />
          </Card>
        </Section>
      )}
      {manages && sso && (
        <Section title="Single sign-on" description="Staff sign in through the team's OpenID Connect identity provider; someone new to the team joins with the default role.">
          <SsoSettings
            view={sso}
            withRole
            manage={{
              save: saveTeamSsoAction,
              remove: removeTeamSsoAction,
              removePrompt: "Staff sign in with an emailed link, a password or a passkey again, and SSO-only sign-in is turned off. Their accounts stay.",
            }}
          >
            <Section title="SSO-only sign-in" level={3}>
              <Card>
                <SsoOnlyForm action={setTeamSsoOnlyAction} on={sso.ssoOnly} available={Boolean(sso.connection?.enabled && sso.connection.lastSignInAt)} />
              </Card>
            </Section>
          </SsoSettings>
        </Section>
      )}
    </>
  );
}
