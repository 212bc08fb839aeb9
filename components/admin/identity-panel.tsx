import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";

type Identity = {
  userName: string;
  arn: string;
  status: string;
  createdAt: Date;
  accessKeys: { id: string; accessKeyId: string; status: string; createdAt: Date; revealedAt: Date | null }[];
  grants: { repositoryId: string; desired: boolean; applied: boolean; appliedAt: Date | null }[];
};

const yesNo = (v: boolean) => <Badge tone={v ? "green" : "gray"}>{v ? "yes" : "no"}</Badge>;

/** The customer's live IAM user, its keys, and where it stands in each of the product's repository policies. */
export function IdentityPanel({ identity, repositories }: { identity: Identity | null; repositories: { id: string; name: string; region: string }[] }) {
  return (
    <>
      <Section title="AWS identity" description="As the database records it: one IAM user per customer, shared by all of its products.">
        <Card>
          {identity ? (
            <dl className="grid gap-4 sm:grid-cols-3">
              <div>
                <dt className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-300">IAM user</dt>
                <dd className="font-mono text-sm">{identity.userName}</dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-300">ARN</dt>
                <dd data-testid="iam-user-arn" className="font-mono text-sm break-all">
                  {identity.arn}
                </dd>
              </div>
              <div>
                <dt className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-300">Status</dt>
                <dd>{identity.status}</dd>
              </div>
            </dl>
          ) : (
            <p>This customer has no live IAM user.</p>
          )}
        </Card>
      </Section>
      <Section title="Access keys">
        <DataTable caption="Access keys of the IAM user" columns={["Access key id", "Status", "Created", "Secret shown"]}>
          {(identity?.accessKeys.length ?? 0) === 0 && <EmptyRow colSpan={4}>No access keys.</EmptyRow>}
          {identity?.accessKeys.map((k) => (
            <tr key={k.id}>
              <Td className="font-mono text-xs">{k.accessKeyId}</Td>
              <Td>{k.status}</Td>
              <Td>
                <DateTime value={k.createdAt} />
              </Td>
              <Td>
                <DateTime value={k.revealedAt} fallback="Not yet" />
              </Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="Repository grants" description="Desired: should this user be in the repository policy. Applied: is it there in AWS.">
        <DataTable caption="Repository grants for this product" columns={["Repository", "Region", "Desired", "Applied", "Applied at"]}>
          {repositories.length === 0 && <EmptyRow colSpan={5}>This product has no repositories.</EmptyRow>}
          {repositories.map((r) => {
            const grant = identity?.grants.find((g) => g.repositoryId === r.id);
            return (
              <tr key={r.id}>
                <Td className="font-mono text-xs">{r.name}</Td>
                <Td>{r.region}</Td>
                <Td>{grant ? yesNo(grant.desired) : "—"}</Td>
                <Td>{grant ? yesNo(grant.applied) : "—"}</Td>
                <Td>
                  <DateTime value={grant?.appliedAt} />
                </Td>
              </tr>
            );
          })}
        </DataTable>
      </Section>
    </>
  );
}
