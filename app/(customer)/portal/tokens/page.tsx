import type { Metadata } from "next";
import { PullInstructions } from "@/components/customer/pull-instructions";
import { PullTokenCreateForm } from "@/components/customer/pull-token-create-form";
import { PullTokenTable } from "@/components/customer/pull-token-table";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { credentialHelperSetup } from "@/lib/pull-tokens/credential-helper-setup";
import { MAX_LIVE_PULL_TOKENS } from "@/lib/pull-tokens/pull-tokens";
import { listPullTokens, pullTokenSetupView } from "@/lib/pull-tokens/pull-tokens-view";
import { customerPage } from "../customer-guard";
import { createPullTokenAction, revokePullTokenAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pull tokens" };

async function loadTokens() {
  const user = await customerPage();
  // Only the signed-in user's own customer is read.
  const [tokens, setup] = await Promise.all([listPullTokens(user.customerId), pullTokenSetupView(user.customerId)]);
  return { user, tokens, setup };
}

export default async function PullTokensPage() {
  const { user, tokens, setup } = await loadTokens();
  // Hides the controls; the actions check again with requireCustomerOwner().
  const manages = user.role === "CUSTOMER_OWNER";
  return (
    <>
      <PageHeader
        title="Pull tokens"
        description="Pull without an AWS identity of your own: Docker exchanges a pull token for short-lived registry credentials on each pull, good only for what your organisation is entitled to."
      />
      {!manages && <p className={`text-sm ${mutedText}`}>Only owners of your organisation can create or revoke pull tokens.</p>}

      {manages && (
        <Section
          title="Create a pull token"
          description={`One per cluster or pipeline, so each can be revoked on its own; up to ${MAX_LIVE_PULL_TOKENS} live tokens. A token is revoked when the owner who made it leaves, and all are when your last product ends.`}
        >
          <Card>
            <PullTokenCreateForm action={createPullTokenAction} />
          </Card>
        </Section>
      )}

      <Section
        title="Your pull tokens"
        description="Credentials handed out last at most one hour. Revoking a token, or your organisation's last entitlement ending, stops new ones at once and ends outstanding ones at their next pull."
      >
        <PullTokenTable
          tokens={tokens}
          revoke={
            manages
              ? (t) => (
                  <ConfirmAction
                    action={revokePullTokenAction.bind(null, t.id)}
                    triggerLabel={`Revoke ${t.name}`}
                    confirmLabel="Yes, revoke"
                    prompt={`Machines using “${t.name}” get no new registry credentials from now on, and those they hold stop working at their next pull.`}
                    triggerTestId={`revoke-pull-token-${t.prefix}`}
                    confirmTestId={`confirm-revoke-pull-token-${t.prefix}`}
                  />
                )
              : undefined
          }
        />
      </Section>

      <Section title="Set up" description="Each command is exact: copy it, then replace the placeholders in angle brackets.">
        {setup.registries.length === 0 && (
          <p className={`text-sm ${mutedText}`} data-testid="no-registries">
            Your organisation holds no active product yet, so there is no registry to pull from; its address appears here once there is.
          </p>
        )}
        <Card>
          <PullInstructions blocks={credentialHelperSetup(setup)} />
        </Card>
      </Section>
    </>
  );
}
