import type { Metadata } from "next";
import { UserInviteForm } from "@/components/admin/team-invite-form";
import { Card, Section } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { listTeam } from "@/lib/users/list-team";
import { roleOptions } from "@/lib/users/roles";
import { customerPage } from "../customer-guard";
import { inviteTeamUserAction, removeTeamSsoAction, removeTeamUserAction, resetTeamUserMfaAction, saveTeamSsoAction, setTeamMfaRuleAction } from "./actions";
import { MfaResetForm } from "@/components/users/mfa-reset-form";
import { MfaRuleForm } from "@/components/users/mfa-rule-form";
import { customerMfaRequired } from "@/lib/auth/mfa/mfa-rules";
import { losesAccessTo, MemberTable } from "@/components/users/member-table";
import { SsoSettings } from "@/components/users/sso-settings";
import { ssoSettingsView } from "@/lib/auth/sso/sso-settings-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your team" };

async function loadTeam() {
  const user = await customerPage();
  // Only the signed-in user's own customer is listed.
  // The single sign-on settings are the owners' alone to see and change.
  const sso = user.role === "CUSTOMER_OWNER" ? await ssoSettingsView({ kind: "customer", customerId: user.customerId }) : null;
  return { user, members: await listTeam(user.customerId), mfaRequired: await customerMfaRequired(user.customerId), sso };
}

export default async function TeamPage() {
  const { user, members, mfaRequired, sso } = await loadTeam();
  // Hides the controls; the actions check again with requireCustomerOwner().
  const manages = user.role === "CUSTOMER_OWNER";
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
        <MemberTable
          caption="Users of your organisation"
          members={members}
          empty="No users."
          selfId={user.id}
          neverSignedIn="Not signed in yet"
          remove={manages ? { action: (m) => removeTeamUserAction.bind(null, m.id), prompt: losesAccessTo("this portal") } : undefined}
        />
      </Section>
      {manages && (
        <Section title="Two-factor authentication" description="When required, everyone in your organisation sets up an authenticator app at their next sign-in.">
          <Card>
            <MfaRuleForm action={setTeamMfaRuleAction} required={mfaRequired} who="your organisation" />
          </Card>
          <Card>
            <MfaResetForm action={resetTeamUserMfaAction} members={members.filter((m) => m.id !== user.id && !m.withheld)} />
          </Card>
        </Section>
      )}
      {manages && sso && (
        <Section
          title="Single sign-on"
          description="Your users sign in through your organisation's OpenID Connect identity provider. Each email domain is used once the vendor verifies it is yours."
        >
          <SsoSettings
            view={sso}
            withRole={false}
            manage={{
              save: saveTeamSsoAction,
              remove: removeTeamSsoAction,
              removePrompt: "Your users sign in with an emailed link, a password or a passkey again. Their accounts stay.",
            }}
          />
        </Section>
      )}
    </>
  );
}
