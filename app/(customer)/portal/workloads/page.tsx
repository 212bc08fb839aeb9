import type { Metadata } from "next";
import { PullInstructions } from "@/components/customer/pull-instructions";
import { WorkloadIdentityForm } from "@/components/customer/workload-identity-form";
import { WorkloadIdentityTable } from "@/components/customer/workload-identity-table";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { PageHeader } from "@/components/ui/page-header";
import { mutedText } from "@/components/ui/styles";
import { MAX_WORKLOAD_IDENTITIES, MAX_WORKLOAD_ISSUERS } from "@/lib/workload-identities/workload-identities";
import { workloadIdentitiesView, workloadKindOptions, workloadSetupInput } from "@/lib/workload-identities/workload-identities-view";
import { workloadSetup } from "@/lib/workload-identities/workload-setup";
import { customerPage } from "../customer-guard";
import { registerWorkloadAction, removeWorkloadAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workload identities" };

async function loadWorkloads() {
  const user = await customerPage();
  // Only the signed-in user's own customer is read.
  return { user, view: await workloadIdentitiesView(user.customerId) };
}

export default async function WorkloadsPage() {
  const { user, view } = await loadWorkloads();
  // Hides the controls; the actions check again with requireCustomerOwner().
  const manages = user.role === "CUSTOMER_OWNER";
  return (
    <>
      <PageHeader
        title="Workload identities"
        description="Your CI jobs and clusters pull with short-lived credentials they get from their own OIDC tokens: there is no key to store or rotate."
      />
      {!view.offered && (
        <p className={`text-sm ${mutedText}`} data-testid="workloads-not-offered">
          None of your products offers workload federation, so no workload can pull with its own identity.
          {view.workloads.length > 0 && " The workloads below stay trusted and pull again once a product offering it is yours."}
        </p>
      )}
      {view.offered && !manages && <p className={`text-sm ${mutedText}`}>Only owners of your organisation can trust or remove workloads.</p>}

      {view.offered && manages && (
        <Section
          title="Trust a workload"
          description={`Up to ${MAX_WORKLOAD_IDENTITIES} workloads from at most ${MAX_WORKLOAD_ISSUERS} issuers. A workload pulls only what your organisation is entitled to, as long as it is.`}
        >
          <Card>
            <WorkloadIdentityForm action={registerWorkloadAction} kinds={workloadKindOptions()} />
          </Card>
        </Section>
      )}

      {(view.offered || view.workloads.length > 0) && (
        <Section
          title="Trusted workloads"
          description="Tokens of the issuer, made for the audience, whose subject matches, may assume your role for up to an hour. Removing a workload stops new sessions at once."
        >
          <WorkloadIdentityTable
            workloads={view.workloads}
            remove={
              manages
                ? (w) => (
                    <ConfirmAction
                      action={removeWorkloadAction.bind(null, w.id)}
                      triggerLabel={`Remove ${w.name}`}
                      confirmLabel="Yes, remove"
                      prompt={`“${w.name}” gets no new credentials from now on; those it holds end within the hour.`}
                      triggerTestId={`remove-workload-${w.id}`}
                      confirmTestId={`confirm-remove-workload-${w.id}`}
                    />
                  )
                : undefined
            }
          />
        </Section>
      )}

      {view.offered && (
        <Section title="Set up" description="Each set-up is exact: copy it, then replace the placeholders in angle brackets.">
          {view.roleArn ? (
            <p className="text-sm" data-testid="workload-role">
              Your role: <span className="font-mono text-xs break-all">{view.roleArn}</span>
            </p>
          ) : (
            <p className={`text-sm ${mutedText}`} data-testid="workload-role">
              {view.workloads.length > 0
                ? "Your role is being set up; its ARN replaces <role ARN> here once it exists."
                : "Your role is made when you trust your first workload; its ARN replaces <role ARN> here then."}
            </p>
          )}
          {view.registries.length === 0 && (
            <p className={`text-sm ${mutedText}`} data-testid="no-registries">
              Your products offering workload federation have no images yet, so there is no registry to pull from; its address appears here once there is.
            </p>
          )}
          <Card>
            <PullInstructions blocks={workloadSetup(workloadSetupInput(view))} />
          </Card>
        </Section>
      )}
    </>
  );
}
