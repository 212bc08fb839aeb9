import Link from "next/link";
import { Badge, StateBadge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { linkClass, mutedText } from "@/components/ui/styles";
import type { AccessCheck, Agreement, AnsweredAccess, AwsAnswer, Expectation } from "@/lib/access/access-check-view";
import type { Principal, WorkloadRoleAccess } from "@/lib/access/check-pull-access";

const alertClass = "rounded-md border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100";

const allowedBadge = (allowed: boolean) => <Badge tone={allowed ? "green" : "red"}>{allowed ? "Allowed" : "Denied"}</Badge>;

/** The answer AWS gives, what the database wants, and each repository's reason. */
export function AccessCheckResult({ check }: { check: AccessCheck }) {
  const { customer, product, aws, expected, agreement } = check;
  return (
    <>
      <Section title="Answer" description={<>Checked <DateTime value={check.checkedAt} />.</>}>
        {aws.ok ? (
          <Card>
            <p className="flex flex-wrap items-center gap-2 text-xl font-semibold" data-testid="access-answer">
              {allowedBadge(aws.access.allowed)}
              <span>
                {customer.name} {aws.access.allowed ? "can" : "cannot"} pull {product.name} now.
              </span>
            </p>
            <p className="mt-2">{aws.access.reason}</p>
          </Card>
        ) : (
          <AwsFailure answer={aws} />
        )}
      </Section>
      {agreement.kind === "disagree" && <Disagreement agreement={agreement} expected={expected} />}
      <Section title="AWS and the desired state" description="What AWS allows now, next to what Pullgate's entitlements want.">
        <div className="grid gap-4 md:grid-cols-2">
          <Card>
            <h3 className="text-base font-semibold">AWS</h3>
            <p className="mt-2">
              {aws.ok ? (
                <>
                  {allowedBadge(aws.access.allowed)} {aws.access.allowed ? "The pull works." : "The pull is refused."}
                </>
              ) : (
                <span className={mutedText}>No answer: AWS could not be read.</span>
              )}
            </p>
          </Card>
          <Card>
            <h3 className="text-base font-semibold">Desired state</h3>
            <DesiredState expected={expected} />
          </Card>
        </div>
        {agreement.kind === "agree" && (
          <p className="text-sm font-medium text-emerald-800 dark:text-emerald-300">AWS and the desired state agree.</p>
        )}
      </Section>
      {aws.ok && <Repositories access={aws.access} differing={agreement.kind === "disagree" ? agreement.repositories.map((r) => r.id) : []} />}
      {aws.ok && aws.access.accounts.length > 0 && <OwnAccounts access={aws.access} />}
      {aws.ok && aws.access.workloadRole && <WorkloadRole role={aws.access.workloadRole} />}
      {aws.ok && aws.access.principal && <PoliciesRead principal={aws.access.principal} />}
    </>
  );
}

function AwsFailure({ answer }: { answer: Extract<AwsAnswer, { ok: false }> }) {
  return (
    <div role="alert" className={alertClass}>
      <p className="font-semibold">AWS could not be read, so there is no answer</p>
      <p className="mt-1 font-mono text-sm break-words">{answer.error}</p>
      <p className="mt-2 text-sm">
        {answer.accessDenied
          ? <>AWS refused the portal&apos;s identity a read this check needs. Compare its IAM policy with the one <code>npm run aws:portal-policy</code> prints.</>
          : "Check that the portal can reach AWS, then load this page again."}
      </p>
    </div>
  );
}

function DesiredState({ expected }: { expected: Expectation }) {
  const e = expected.entitlement;
  return (
    <div className="mt-2 space-y-2">
      <p>
        <Badge tone={expected.grants ? "green" : "gray"}>{expected.grants ? "Should pull" : "Should not pull"}</Badge>{" "}
        {expected.grants ? "An entitlement grants access now." : "No entitlement grants access now."}
      </p>
      {e ? (
        <p className="text-sm">
          <Link href={`/admin/entitlements/${e.id}`} className={linkClass}>
            {expected.grants ? "The entitlement" : "The latest entitlement"}
          </Link>{" "}
          is <StateBadge state={e.state} />, expires <DateTime value={e.expiresAt} />.
        </p>
      ) : (
        <p className={`text-sm ${mutedText}`}>The customer has never had this product.</p>
      )}
    </div>
  );
}

function Disagreement({ agreement, expected }: { agreement: Extract<Agreement, { kind: "disagree" }>; expected: Expectation }) {
  const entitlement = expected.entitlement && (
    <Link href={`/admin/entitlements/${expected.entitlement.id}`} className={linkClass}>
      the entitlement
    </Link>
  );
  const engine = (
    <Link href="/admin/engine" className={linkClass}>
      Engine
    </Link>
  );
  return (
    <div role="alert" data-testid="access-mismatch" className={alertClass}>
      <p className="text-lg font-semibold">AWS and the desired state disagree</p>
      <p className="mt-1">
        {expected.grants ? "The customer should be able to pull from" : "The customer should not be able to pull from"}{" "}
        {agreement.repositories.map((r) => r.name).join(", ")}, but AWS {expected.grants ? "refuses it" : "allows it"}.
      </p>
      <p className="mt-2">
        {agreement.remedy === "retry-provisioning" && (
          <>Provisioning failed and is retried with backoff: to retry it now, re-provision {entitlement}.</>
        )}
        {agreement.remedy === "in-progress" && (
          <>The engine still has work queued for {entitlement}; AWS follows when it is done. If it does not, see the {engine} page.</>
        )}
        {agreement.remedy === "drift-repair" && <>Pullgate believes AWS is up to date: run the drift audit and repair on the {engine} page.</>}
      </p>
    </div>
  );
}

/** The customer's own AWS accounts: what the repository policies let each do (its own IAM is the customer's). */
function OwnAccounts({ access }: { access: AnsweredAccess }) {
  return (
    <Section title="The customer's own AWS accounts" description="Cross-account pulls: judged on the repository policies, assuming the account's own IAM allows the pull.">
      <DataTable caption="Pull access per own account and repository" columns={["Account", "Repository", "AWS", "Reason"]}>
        {access.accounts.flatMap((a) =>
          a.repositories.map((r) => (
            <tr key={`${a.accountId}-${r.repositoryId}`} data-testid={`account-access-${a.accountId}`}>
              <Td className="font-mono text-xs">
                {a.accountId}
                {!a.proven && <span className="block text-xs font-semibold text-amber-800 dark:text-amber-200">unproven</span>}
              </Td>
              <Td className="font-mono text-xs break-all">{r.repository}</Td>
              <Td>{allowedBadge(r.allowed)}</Td>
              <Td className="max-w-2xl break-words">{a.note ? `${a.note}. ${r.reason}` : r.reason}</Td>
            </tr>
          )),
        )}
      </DataTable>
    </Section>
  );
}

/** The customer's workload role: what its own policies and each repository's policy let its federated workloads pull. */
function WorkloadRole({ role }: { role: WorkloadRoleAccess }) {
  return (
    <Section title="Workload role" description="OIDC federation: the customer's workloads assume this role, judged on its policies and boundary like the IAM user.">
      <Card>
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="workload-role-answer">
          {role.repositories.length > 0 ? allowedBadge(role.allowed) : <Badge tone="gray">Not counted</Badge>}
          <span className="font-mono break-all">{role.arn}</span>
        </p>
        {role.note && <p className="mt-2 text-sm">{role.note}.</p>}
      </Card>
      {role.repositories.length > 0 && (
        <DataTable caption="Pull access of the workload role per repository" columns={["Repository", "AWS", "Reason"]}>
          {role.repositories.map((r) => (
            <tr key={r.repositoryId} data-testid={`workload-role-access-${r.repository}`}>
              <Td className="font-mono text-xs break-all">{r.repository}</Td>
              <Td>{allowedBadge(r.allowed)}</Td>
              <Td className="max-w-2xl break-words">{r.reason}</Td>
            </tr>
          ))}
        </DataTable>
      )}
    </Section>
  );
}

function Repositories({ access, differing }: { access: AnsweredAccess; differing: string[] }) {
  return (
    <Section title="Repositories" description="Each repository of the product, judged on its own.">
      <DataTable caption="Pull access per repository" columns={["Repository", "Account / region", "AWS", "Reason", "Grant strategy"]}>
        {access.repositories.length === 0 && <EmptyRow colSpan={5}>This product has no repositories.</EmptyRow>}
        {access.repositories.map((r) => (
          <tr key={r.repositoryId}>
            <Td className="font-mono text-xs break-all">{r.repository}</Td>
            <Td className="font-mono text-xs whitespace-nowrap">
              {r.accountId} / {r.region}
            </Td>
            <Td>
              {allowedBadge(r.allowed)}
              {differing.includes(r.repositoryId) && (
                <span className="mt-1 block text-xs font-semibold text-red-800 dark:text-red-200">Not what the desired state wants</span>
              )}
            </Td>
            <Td className="max-w-2xl break-words">{r.reason}</Td>
            <Td>{r.strategyLabel}</Td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}

function PoliciesRead({ principal }: { principal: Principal }) {
  return (
    <Section title="Policies read" description="Where an allow was looked for, besides each repository's policy.">
      <Card>
        <dl className="grid gap-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">IAM user</dt>
          <dd className="font-mono break-all">{principal.arn}</dd>
          <dt className="font-semibold">Identity policies</dt>
          <dd>
            {principal.identityPolicies.length === 0 ? (
              "None"
            ) : (
              <ul>
                {principal.identityPolicies.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt className="font-semibold">Permissions boundary</dt>
          <dd className="break-all">{principal.boundary ?? "None"}</dd>
        </dl>
      </Card>
    </Section>
  );
}
