import type { Metadata } from "next";
import Link from "next/link";
import { DeadLetterTable } from "@/components/admin/dead-letter-table";
import { RepositoryTable } from "@/components/admin/repository-table";
import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { linkClass, mutedText } from "@/components/ui/styles";
import { getEngineView, type DriftFinding } from "@/lib/health/engine-view";
import type { TrailStatus } from "@/lib/activity/trail-status";
import type { IamUserQuota } from "@/lib/health/iam-user-quota";
import { canWrite, vendorPage } from "../vendor-guard";
import { retryDeadLetterAction, runDriftAuditAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Engine" };

async function loadEngine() {
  const user = await vendorPage();
  return { user, ...(await getEngineView()) };
}

function describe(f: DriftFinding) {
  switch (f.kind) {
    case "missing-user":
      return `IAM user ${f.userName} was deleted outside Pullgate: its customer gets a new user and key`;
    case "foreign-user":
      return `IAM user ${f.userName} is under Pullgate's path but Pullgate did not create it: left alone, and Pullgate cannot give it keys or policies`;
    case "orphan-user":
      return `IAM user ${f.userName} is under Pullgate's path but belongs to no customer`;
    case "unknown-access-key":
      return `Access key ${f.accessKeyId} of ${f.userName} is unknown to Pullgate`;
    case "inline-policy-drift":
      return `The pull policy of ${f.userName} ${[...f.missing.map((r) => `lacks ${r}`), ...f.unexpected.map((r) => `names ${r} without an entitlement`)].join(", ")}`;
    case "unknown-inline-policy":
      return `${f.userName} carries an inline policy ${f.policyName} that Pullgate did not write`;
    case "missing-principal":
      return `${f.principal} is missing from ${f.repository}`;
    case "stale-principal":
      return `${f.principal} (a deleted user's id) is still in ${f.repository}`;
    case "unexpected-principal":
      return `${f.principal} is in ${f.repository} without an entitlement`;
    case "missing-product-tag":
      return `${f.repository} lost its product tag pullgate-product=${f.expected}${f.actual === null ? "" : ` (it says ${f.actual})`}: customers pulling through identity policies cannot pull from it until it is put back`;
    case "missing-vendor-trust":
      return `${f.repository} is in another account and its policy no longer trusts Pullgate's customer users: none of them can pull from it until it is put back`;
    case "unmarked-repository":
      return `${f.repository} is not marked as Pullgate's (tag pullgate:managed=true): the portal can no longer change its policy, and customers cannot pull from it`;
    case "missing-repository":
      return `${f.repository} no longer exists in AWS: nobody can pull from it until it is re-created or removed from its product`;
  }
}

const quotaTones = { ok: "green", warning: "amber", full: "red" } as const;

/** Each customer with Pullgate keys holds one IAM user, and IAM allows 5,000 per account, for good. */
function IamUsersLine({ quota }: { quota: IamUserQuota }) {
  if ("error" in quota) return <p className="mt-2" data-testid="iam-user-quota">IAM users: could not be read ({quota.error}).</p>;
  const share = Math.round((quota.users / quota.quota) * 100);
  return (
    <p className="mt-2" data-testid="iam-user-quota">
      IAM users in the account: <strong>{quota.users.toLocaleString("en-US")}</strong> of IAM&apos;s {quota.quota.toLocaleString("en-US")} ({share} %){" "}
      {quota.level !== "ok" && (
        <Badge tone={quotaTones[quota.level]}>
          {quota.level === "full" ? "Full: new customers get no access key" : "Above 80 %: move customers to their own AWS accounts"}
        </Badge>
      )}
    </p>
  );
}

/** Pull history stops without a word when the trail stops delivering: say so. */
function TrailLine({ trail }: { trail: TrailStatus }) {
  if (!trail.configured) return null;
  return (
    <p className="mt-2" data-testid="trail-status">
      CloudTrail log files: {trail.lastFileAt ? <>last read <DateTime value={trail.lastFileAt} /></> : "none read yet"}{" "}
      {trail.quiet && <Badge tone="amber">None in the last day: check the trail, its bucket and prefix, and the portal&apos;s right to read them</Badge>}
    </p>
  );
}

export default async function EnginePage() {
  const { user, pending, failed, queues, deadLetters, deadLetterTotal, repositories, lastRun, stripeEvents, iamUsers, trail } = await loadEngine();
  const findings = lastRun?.findings ?? [];
  const writable = canWrite(user);
  return (
    <>
      <PageHeader
        title="Engine"
        description="Job queues, failed jobs with their AWS error, each repository's grant strategy and policy size, and the drift audit."
      />
      <Section title="Entitlements in progress">
        <Card>
          <p>
            <strong>{pending}</strong> entitlements waiting to be provisioned or revoked; <strong>{failed.length}</strong> failed (retried automatically with backoff).
          </p>
          <IamUsersLine quota={iamUsers} />
          <TrailLine trail={trail} />
        </Card>
      </Section>
      <Section title="Job queues" description="Waiting counts include retries waiting out their backoff and jobs scheduled for later.">
        <DataTable caption="Job queues" columns={["Queue", "Waiting", "Running", "What it does"]}>
          {queues.map((q) => (
            <tr key={q.name}>
              <Td className="font-mono text-xs whitespace-nowrap">{q.name}</Td>
              <Td className="tabular-nums">{q.waiting}</Td>
              <Td className="tabular-nums">{q.active === null ? <span className={mutedText}>Never run</span> : q.active}</Td>
              <Td className="max-w-xl">{q.description}</Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section
        title="Dead letters"
        description={
          writable
            ? "Jobs that used up their retries. Once the cause is fixed, Retry puts the job back in its queue."
            : "Jobs that used up their retries. An owner or admin can retry them."
        }
      >
        <DeadLetterTable letters={deadLetters} total={deadLetterTotal} retry={writable ? retryDeadLetterAction : undefined} />
      </Section>
      <Section title="Failures">
        <DataTable caption="Failed provisioning" columns={["Entitlement", "AWS error", "Attempts", "Last try"]}>
          {failed.length === 0 && <EmptyRow colSpan={4}>Nothing has failed.</EmptyRow>}
          {failed.map((e) => (
            <tr key={e.id}>
              <Td>
                <Link className={linkClass} href={`/admin/entitlements/${e.id}`}>
                  {e.customerName}: {e.productName}
                </Link>
              </Td>
              <Td className="max-w-xl break-words font-mono text-xs">{e.syncError}</Td>
              <Td>{e.syncAttempts}</Td>
              <Td>
                <DateTime value={e.updatedAt} />
              </Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section
        title="Stripe purchases not applied"
        description="Verified Stripe events of the last 30 days that gave no access: failures are retried with backoff, and a purchase of a price no product sells is applied once the price is added to a product."
      >
        <DataTable caption="Stripe events waiting" columns={["Event", "Customer", "Prices", "Why", "Attempts", "Next try"]}>
          {stripeEvents.length === 0 && <EmptyRow colSpan={6}>Every Stripe event has been applied.</EmptyRow>}
          {stripeEvents.map((e) => (
            <tr key={e.id}>
              <Td className="font-mono text-xs">
                {e.type}
                <br />
                {e.id}
              </Td>
              <Td>{e.customerEmail ?? "—"}</Td>
              <Td className="font-mono text-xs">{e.priceIds.join(", ") || "—"}</Td>
              <Td className="max-w-md break-words">{e.outcome}</Td>
              <Td>{e.attempts}</Td>
              <Td>
                <DateTime value={e.nextAttemptAt} />
              </Td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="Repositories" description="How each repository grants pull access, and why.">
        <RepositoryTable caption="Repositories with their grant strategy and policy state" repositories={repositories} showProduct />
      </Section>
      <Section title="Drift audit">
        <Card>
          <div className="space-y-4">
            {lastRun ? (
              <p>
                Last audit <DateTime value={lastRun.startedAt} />:{" "}
                {lastRun.error ? (
                  <Badge tone="red">failed: {lastRun.error}</Badge>
                ) : findings.length === 0 ? (
                  <Badge tone="green">no drift</Badge>
                ) : (
                  <>
                    <Badge tone="amber">{findings.length} findings</Badge> {lastRun.repaired} repaired
                  </>
                )}
              </p>
            ) : (
              <p>No audit has run yet. The worker runs one every hour.</p>
            )}
            {findings.length > 0 && (
              <ul className="list-disc space-y-1 pl-6 text-sm">
                {findings.map((f, i) => (
                  <li key={i}>{describe(f)}</li>
                ))}
              </ul>
            )}
            {writable && (
              <ConfirmAction
                action={runDriftAuditAction}
                variant="secondary"
                triggerLabel="Run the drift audit now"
                confirmLabel="Yes, audit and repair"
                prompt="Compares AWS with Pullgate and repairs what differs. Statements and users that are not Pullgate's are never touched."
              />
            )}
          </div>
        </Card>
      </Section>
    </>
  );
}
