import type { Metadata } from "next";
import { AccountProofForm } from "@/components/customer/account-proof-form";
import { AccountRegisterForm } from "@/components/customer/account-register-form";
import { AccountTable } from "@/components/accounts/account-table";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { MAX_CUSTOMER_ACCOUNTS } from "@/lib/customers/customer-accounts";
import { getCustomerAccountsView } from "@/lib/customers/customer-accounts-view";
import { customerPage } from "../customer-guard";
import { proveAccountAction, registerAccountAction, removeAccountAction, setKeyAccessAction, startProofAction } from "./actions";

export const dynamic = "force-dynamic";

// The one control of the keys section: turning them off is destructive, turning them on is not.
const keyToggle = {
  off: {
    triggerLabel: "Turn keys off",
    confirmLabel: "Yes, delete our IAM user and keys",
    prompt: "Every machine that pulls with your Pullgate key loses access at once. Your registered accounts keep pulling.",
    triggerTestId: "keys-off",
    confirmTestId: "confirm-keys-off",
  },
  on: {
    variant: "secondary",
    triggerLabel: "Turn keys on",
    confirmLabel: "Yes, issue a key",
    prompt: "A new IAM user and access key are created; reveal the secret once on Downloads.",
    triggerTestId: "keys-on",
    confirmTestId: "confirm-keys-on",
  },
} as const;
export const metadata: Metadata = { title: "AWS accounts" };

async function loadAccounts() {
  const user = await customerPage();
  // Only the signed-in user's own customer is read.
  return { user, ...(await getCustomerAccountsView(user.customerId)) };
}

export default async function AccountsPage() {
  const { user, keyAccess, accounts } = await loadAccounts();
  // Hides the controls; the actions check again with requireCustomerOwner().
  const manages = user.role === "CUSTOMER_OWNER";
  return (
    <>
      <PageHeader
        title="AWS accounts"
        description="Pull with your own AWS account instead of (or besides) a Pullgate access key: we grant the account in our repository policy, and your account's IAM decides which of your roles may pull."
      />
      {!manages && <p className={`text-sm ${mutedText}`}>Only owners of your organisation can register or remove accounts.</p>}

      {manages && (
        <Section title="Register an account" description={`Up to ${MAX_CUSTOMER_ACCOUNTS} accounts. Once you prove an account is yours, it is granted, and the pull instructions on Downloads show how to pull from it.`}>
          <Card>
            <AccountRegisterForm action={registerAccountAction} />
          </Card>
        </Section>
      )}

      {manages && accounts.some((a) => !a.proven) && (
        <Section
          title="Prove your accounts"
          description="Anyone can type an account id, so we grant an account only once you prove it is yours: sign a one-time nonce with credentials of the account, and we ask AWS which account signed it."
        >
          {accounts
            .filter((a) => !a.proven)
            .map((a) => (
              <Card key={a.id}>
                <h3 className="mb-2 font-mono text-sm font-semibold">{a.accountId}</h3>
                <AccountProofForm accountId={a.accountId} proof={a.proof} start={startProofAction.bind(null, a.id)} prove={proveAccountAction} />
              </Card>
            ))}
        </Section>
      )}

      <Section title="Registered accounts">
        <AccountTable
          caption="Your AWS accounts that can pull"
          empty="No accounts registered. You pull with your Pullgate access key."
          accounts={accounts}
          testIdPrefix="account-"
          action={
            manages
              ? (a) => (
                  <ConfirmAction
                    action={removeAccountAction.bind(null, a.id)}
                    triggerLabel="Remove"
                    confirmLabel="Yes, remove this account"
                    prompt={`Account ${a.accountId} loses access to your images at once.`}
                    triggerTestId={`remove-account-${a.accountId}`}
                  />
                )
              : undefined
          }
        />
      </Section>

      <Section
        title="Pullgate access keys"
        description="An IAM user in our account with one access key, for machines outside AWS or without an account of yours."
      >
        <Card>
          <p className="mb-3" data-testid="key-access-state">
            {keyAccess ? "On: your access key is shown on Downloads." : "Off: you pull only with your registered accounts."}
          </p>
          {manages &&
            (keyAccess && !accounts.some((a) => a.proven) ? (
              <p className={`text-sm ${mutedText}`}>To turn keys off, register and prove an AWS account first.</p>
            ) : (
              <ConfirmAction action={setKeyAccessAction.bind(null, !keyAccess)} {...keyToggle[keyAccess ? "off" : "on"]} />
            ))}
        </Card>
      </Section>
    </>
  );
}
