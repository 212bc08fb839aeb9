import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { UserInviteForm } from "@/components/admin/team-invite-form";
import { StateBadge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass } from "@/components/ui/styles";
import { roleOptions } from "@/lib/users/roles";
import { MemberTable } from "@/components/users/member-table";
import { AccountTable } from "@/components/accounts/account-table";
import { getCustomerAccountsView } from "@/lib/customers/customer-accounts-view";
import { getCustomerView } from "@/lib/customers/customer-view";
import { canWrite, vendorPage } from "../../vendor-guard";
import { inviteCustomerUserAction, removeCustomerSsoAction, removeCustomerUserAction, saveCustomerSsoAction, verifyCustomerSsoDomainAction } from "./actions";
import { SsoSettings } from "@/components/users/sso-settings";
import { ssoSettingsView } from "@/lib/auth/sso/sso-settings-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customer" };

async function loadCustomer(id: string) {
  const user = await vendorPage();
  const customer = await getCustomerView(id);
  if (!customer) notFound();
  return { user, customer, own: await getCustomerAccountsView(id), sso: await ssoSettingsView({ kind: "customer", customerId: customer.id }) };
}

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await loadCustomer(id);
  const { user, customer, own, sso } = data;
  const { identity } = customer;
  const writable = canWrite(user);
  return (
    <>
      <PageHeader title={customer.name} description={<>Customer since <DateTime value={customer.createdAt} /></>} />
      <Section title="Users">
        <MemberTable
          caption="Users of this customer"
          members={customer.users}
          withStatus
          withSignInDetails
          empty="No users."
          neverSignedIn="Never"
          remove={
            writable
              ? {
                  action: (u) => removeCustomerUserAction.bind(null, customer.id, u.id),
                  prompt: (email) => `${email} can no longer sign in to download, and any session they have open ends. The customer's access to its products does not change.`,
                }
              : undefined
          }
        />
        {writable && (
          <Section title="Invite a user" level={3} description="They get an email with a sign-in link to this customer's downloads.">
            <Card>
              <UserInviteForm action={inviteCustomerUserAction.bind(null, customer.id)} roles={roleOptions(customer.id)} defaultRole="CUSTOMER_MEMBER" />
            </Card>
          </Section>
        )}
      </Section>
      <Section title="Single sign-on" description="The customer's OpenID Connect identity provider. Its users' email domains are used for sign-in once verified.">
        <SsoSettings
          view={sso}
          withRole={false}
          manage={
            writable
              ? {
                  save: saveCustomerSsoAction.bind(null, customer.id),
                  remove: removeCustomerSsoAction.bind(null, customer.id),
                  removePrompt: "The customer's users sign in with an emailed link, a password or a passkey again. Their accounts stay.",
                }
              : undefined
          }
          verify={writable ? verifyCustomerSsoDomainAction.bind(null, customer.id) : undefined}
        />
      </Section>
      <Section title="Entitlements">
        <DataTable caption="Entitlements of this customer" columns={["Product", "State", "Starts", "Expires"]}>
          {customer.entitlements.length === 0 && <EmptyRow colSpan={4}>No entitlements.</EmptyRow>}
          {customer.entitlements.map((e) => (
            <tr key={e.id}>
              <Td>
                <Link href={`/admin/entitlements/${e.id}`} className={linkClass}>
                  {e.productName}
                </Link>
              </Td>
              <Td>
                <StateBadge state={e.state} />
              </Td>
              <Td>
                <DateTime value={e.startsAt} />
              </Td>
              <Td>
                <DateTime value={e.expiresAt} />
              </Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="AWS identity">
        <Card>
          {identity ? (
            <dl className="grid gap-3 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-semibold">IAM user</dt>
              <dd className="font-mono">{identity.userName}</dd>
              <dt className="font-semibold">ARN</dt>
              <dd className="font-mono break-all">{identity.arn}</dd>
              <dt className="font-semibold">Status</dt>
              <dd>{identity.status}</dd>
              <dt className="font-semibold">Access keys</dt>
              <dd>
                {identity.accessKeys.length === 0
                  ? "None"
                  : identity.accessKeys.map((k) => (
                      <div key={k.id}>
                        <span className="font-mono">{k.accessKeyId}</span> · {k.status} · created <DateTime value={k.createdAt} />
                        {k.status === "RETIRING" && k.retireAfter && (
                          <>
                            {" "}
                            · works until <DateTime value={k.retireAfter} />
                          </>
                        )}
                      </div>
                    ))}
              </dd>
            </dl>
          ) : (
            <p>
              {own.keyAccess
                ? "No live IAM user. One is created when the customer has an entitlement that grants access."
                : "No IAM user: the customer turned Pullgate access keys off and pulls with its own AWS accounts."}
            </p>
          )}
        </Card>
      </Section>
      <Section
        title="Own AWS accounts (cross-account)"
        description="Accounts of the customer's own, granted in the repository policies; their owners register and remove them on the portal."
      >
        <AccountTable
          caption="The customer's own AWS accounts"
          empty="None: the customer pulls with its Pullgate access key."
          accounts={own.accounts}
          testIdPrefix="customer-account-"
        />
      </Section>
    </>
  );
}
