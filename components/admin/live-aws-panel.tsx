import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { EntitlementWorkloadRole } from "@/lib/entitlements/entitlement-view";
import { readLiveAwsState, type LiveAwsRepository, type LiveAwsState } from "@/lib/entitlements/live-aws-state";

type Desired = { customerId: string; userName: string | null; keyIds: string[]; wantedRepositoryIds: string[]; workloadRole: EntitlementWorkloadRole };

const verdict = (matches: boolean) => <Badge tone={matches ? "green" : "red"}>{matches ? "matches" : "differs"}</Badge>;

/**
 * AWS as it is now beside what the database wants, read when the page is requested (streamed in
 * after the rest of the page). Any difference is for the reconciler or the drift repair to fix.
 */
export async function LiveAwsPanel({ desired, repositories }: { desired: Desired; repositories: LiveAwsRepository[] }) {
  let live: LiveAwsState;
  try {
    live = await readLiveAwsState(desired.userName, repositories, desired.customerId);
  } catch (error) {
    return (
      <LiveSection>
        <Card>
          <p role="alert" className="text-sm font-medium text-red-800 dark:text-red-200">
            AWS could not be read: {String((error as Error)?.message ?? error)}
          </p>
        </Card>
      </LiveSection>
    );
  }
  const wanted = new Set(desired.wantedRepositoryIds);
  const knownKeys = new Set(desired.keyIds);
  return (
    <LiveSection>
      <Card>
        <p className="text-sm" data-testid="live-iam-user">
          {live.user ? (
            <>
              IAM user <span className="font-mono">{desired.userName}</span> exists (<span className="font-mono">{live.user.userId}</span>).{" "}
              {verdict(desired.userName !== null)}
            </>
          ) : desired.userName ? (
            <>
              IAM user <span className="font-mono">{desired.userName}</span> is missing in AWS. {verdict(false)}
            </>
          ) : (
            "The customer has no IAM user, in the database or in AWS."
          )}
        </p>
        <WorkloadRole desired={desired.workloadRole} live={live.workloadRole} />
      </Card>
      <DataTable caption="Access keys in AWS" columns={["Access key id", "State", "Created", "Last used", "Known to Pullgate"]}>
        {live.keys.length === 0 && <EmptyRow colSpan={5}>No access keys in AWS.</EmptyRow>}
        {live.keys.map((k) => (
          <tr key={k.accessKeyId}>
            <Td className="font-mono text-xs">{k.accessKeyId}</Td>
            <Td>{k.active ? "Active" : "Inactive"}</Td>
            <Td>
              <DateTime value={k.createdAt} />
            </Td>
            <Td>
              <DateTime value={k.lastUsedAt} fallback="Never" />
              {k.lastUsedService && <span className="text-slate-600 dark:text-slate-300"> ({k.lastUsedService})</span>}
            </Td>
            <Td>{knownKeys.has(k.accessKeyId) ? verdict(true) : <Badge tone="red">unknown key</Badge>}</Td>
          </tr>
        ))}
      </DataTable>
      <DataTable caption="Repository access in AWS" columns={["Repository", "Should pull", "In pull statement", "In inline policy", "AWS vs desired"]}>
        {live.repositories.length === 0 && <EmptyRow colSpan={5}>This product has no repositories.</EmptyRow>}
        {live.repositories.map((r) => {
          const should = wanted.has(r.id);
          const has = r.inStatement || r.inInlinePolicy;
          return (
            <tr key={r.id} data-testid={`live-repository-${r.name}`}>
              <Td className="font-mono text-xs">
                {r.name} <span className="text-slate-600 dark:text-slate-300">({r.region})</span>
              </Td>
              <Td>{should ? "yes" : "no"}</Td>
              <Td>{r.inStatement ? "yes" : "no"}</Td>
              <Td>{r.inInlinePolicy ? "yes" : "no"}</Td>
              <Td>{verdict(should === has)}</Td>
            </tr>
          );
        })}
      </DataTable>
    </LiveSection>
  );
}

/** The role its workloads assume (OIDC federation): recorded in the database, and in IAM or not. */
function WorkloadRole({ desired, live }: { desired: EntitlementWorkloadRole; live: LiveAwsState["workloadRole"] }) {
  const trusted = `It trusts ${desired.trustedWorkloads} workload${desired.trustedWorkloads === 1 ? "" : "s"}.`;
  return (
    <p className="mt-2 text-sm" data-testid="live-workload-role">
      {live ? (
        <>
          Workload role <span className="font-mono break-all">{live.arn}</span> exists in IAM
          {desired.arn ? "" : ", though Pullgate records none"}. {trusted} {verdict(desired.arn === live.arn)}
        </>
      ) : desired.arn ? (
        <>
          Workload role <span className="font-mono break-all">{desired.arn}</span> is missing in IAM. {trusted} {verdict(false)}
        </>
      ) : (
        `The customer has no workload role, in the database or in IAM. ${trusted}`
      )}
    </p>
  );
}

function LiveSection({ children }: { children: React.ReactNode }) {
  return (
    <Section title="Live in AWS" description="Read from AWS when this page loaded, beside the desired state above.">
      {children}
    </Section>
  );
}

export function LiveAwsPanelLoading() {
  return (
    <LiveSection>
      <Card>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          Reading the IAM user, its keys, the workload role and the repository policies from AWS…
        </p>
      </Card>
    </LiveSection>
  );
}
