import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { jobEngine } from "@/lib/jobs/boss";
import { listDeadLetters, retryDeadLetter } from "@/lib/jobs/dead-letters";
import { JOBS } from "@/lib/jobs/queues";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { eventually } from "../support/deadline";
import { startEngineWorkers } from "../support/engine-workers";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";
import { createProduct, inAYear, unique } from "../support/seed";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";

const ctx = inject("integration");
const admin = awsAdmin(ctx);
const actor = systemActor("test");
let proxy: FaultProxy;
let workers: Awaited<ReturnType<typeof startEngineWorkers>> | undefined;

/** Waits for the workers' outcome; on a hang the failure shows their output. */
const settled = <T>(what: string, read: () => Promise<T>, check: (value: T) => boolean) =>
  eventually(what, read, check, { context: () => workers?.output().slice(-3000) ?? "" });

const syncStatuses = (ids: string[]) =>
  db.entitlement.findMany({ where: { id: { in: ids } }, select: { syncStatus: true } }).then((rows) => rows.map((r) => r.syncStatus));

describe("the job engine (two worker processes on PostgreSQL)", () => {
  beforeAll(async () => {
    proxy = await startFaultProxy(ctx.awsEndpoint);
    workers = await startEngineWorkers(2, {
      PULLGATE_AWS_ENDPOINT: proxy.url,
      PULLGATE_POLICY_BATCH_SECONDS: "4",
      PULLGATE_JOB_RETRY_LIMIT: "2",
      PULLGATE_JOB_RETRY_DELAY_SECONDS: "1",
      PULLGATE_WORKER_CONCURRENCY: "8",
    });
  }, 90_000);

  afterAll(async () => {
    await workers?.stop();
    await proxy?.close();
    admin.destroy();
    await closePools();
  });

  it("provisions a burst of 30 purchases with a few batched policy writes and every principal kept", async () => {
    const { repo, slug } = await admin.productOnNewRepository();
    proxy.heal();
    const granted = await Promise.all(
      Array.from({ length: 30 }, () =>
        grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique("burst")}@example.com`, productSlug: slug, expiresAt: inAYear() } }),
      ),
    );
    const ids = granted.map((g) => g.entitlement.id);
    await settled("burst provisioning", () => syncStatuses(ids), (s) => s.length === 30 && s.every((x) => x === "SYNCED"));

    const identities = await db.awsIdentity.findMany({ where: { liveFor: { in: granted.map((g) => g.entitlement.customerId) } } });
    expect(identities).toHaveLength(30);
    expect((await probe.principals(repo)).sort()).toEqual(identities.map((i) => i.arn).sort());
    // The workers may also finish work other test files left queued: count this burst's calls only.
    const writes = proxy.log.filter(
      (r) => r.operation === "ecr:SetRepositoryPolicy" && r.outcome === 200 && JSON.parse(r.body!).repositoryName === repo.name,
    );
    // Additions wait for the rest of the burst (at most the batch window): far fewer writes than 30.
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.length).toBeLessThanOrEqual(5);
    const burstUsers = new Set(identities.map((i) => i.userName));
    const created = proxy.log.filter(
      (r) => r.operation === "iam:CreateUser" && r.outcome === 200 && burstUsers.has(new URLSearchParams(r.body).get("UserName")!),
    );
    expect(created).toHaveLength(30);
  }, 120_000);

  it("retries a failing job with backoff, dead-letters it, and an admin's retry completes it", async () => {
    const name = `it/${unique("late-repo")}`;
    const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [name] });
    // The portal may read marked repositories only: AWS answers one that does not exist yet with AccessDenied.
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource.endsWith(`:repository/${name}`));
    const granted = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: `${unique("dead-letter")}@example.com`, productSlug: product.slug, expiresAt: inAYear() },
    });
    const repositoryId = product.repositories[0]!.id;
    const [letter] = await settled(
      "dead letter",
      async () => (await listDeadLetters()).filter((l) => l.repositoryId === repositoryId),
      (letters) => letters.length === 1,
    );
    expect(letter!.error).toMatch(/RepositoryNotFound|does not exist/);
    const failed = await db.entitlement.findUniqueOrThrow({ where: { id: granted.entitlement.id } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncAttempts).toBe(3);

    const repo = await admin.createRepositoryNamed(name);
    await retryDeadLetter(letter!.id);
    await settled("retried provisioning", () => syncStatuses([granted.entitlement.id]), (s) => s[0] === "SYNCED");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: granted.entitlement.customerId } });
    expect(await probe.principals(repo)).toEqual([identity.arn]);
    expect((await listDeadLetters()).filter((l) => l.repositoryId === repositoryId)).toEqual([]);
    await expect(retryDeadLetter(letter!.id)).rejects.toThrow(/no longer waiting/);
  }, 120_000);

  it("revokes when access ends, woken by the expiry's own timed job", async () => {
    const { repo, slug } = await admin.productOnNewRepository();
    const expiresAt = new Date(Date.now() + 6_000);
    const granted = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: `${unique("expiring")}@example.com`, productSlug: slug, expiresAt: expiresAt.toISOString() },
    });
    const customerId = granted.entitlement.customerId;
    await settled("provisioning", () => syncStatuses([granted.entitlement.id]), (s) => s[0] === "SYNCED");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    expect(await probe.principals(repo)).toEqual([identity.arn]);

    const deleted = await settled(
      "revocation",
      () => db.awsIdentity.findUniqueOrThrow({ where: { id: identity.id } }),
      (i) => i.status === "DELETED",
    );
    expect(await probe.principals(repo)).toEqual([]);
    expect(await admin.customerUserNames(customerId)).toEqual([]);
    const entitlement = await db.entitlement.findUniqueOrThrow({ where: { id: granted.entitlement.id } });
    expect(entitlement).toMatchObject({ status: "EXPIRED", syncStatus: "SYNCED" });
    // The timed job for that second ran (the minute sweep is only the safety net).
    const boss = await jobEngine();
    const expiries = await boss.getDb().executeSql(
      "SELECT state FROM pgboss.job WHERE name = 'expire-entitlements' AND start_after = $1",
      [new Date(Math.ceil(expiresAt.getTime() / 1000) * 1000).toISOString()],
    );
    expect(expiries.rows.map((r: { state: string }) => r.state)).toEqual(["completed"]);
    expect(deleted.deletedAt!.getTime()).toBeGreaterThanOrEqual(expiresAt.getTime());
  }, 120_000);

  it("runs each of the minute's scheduled jobs, and two workers never run one at the same time", async () => {
    const boss = await jobEngine();
    const scheduled = Object.values(JOBS).filter((job) => job.schedule).map((job) => job.name);
    const runs = async () =>
      (
        await boss.getDb().executeSql(
          "SELECT name, state, started_on, completed_on, output FROM pgboss.job WHERE name = ANY($1) AND state IN ('active', 'completed', 'failed')",
          [scheduled],
        )
      ).rows as { name: string; state: string; started_on: Date; completed_on: Date | null; output: unknown }[];
    // The cron fires on the minute: within two minutes every scheduled job has run at least once.
    const seen = await eventually(
      "scheduled jobs",
      runs,
      (rows) => scheduled.every((name) => rows.some((r) => r.name === name && r.state === "completed")),
      { timeoutMs: 150_000, context: () => workers?.output().slice(-3000) ?? "" },
    );
    // A failed run names its job and says why (pg-boss keeps the error as the job's output).
    expect(seen.filter((r) => r.state === "failed").map((r) => ({ name: r.name, output: r.output }))).toEqual([]);
    for (const name of scheduled) {
      const spans = seen.filter((r) => r.name === name && r.completed_on).sort((a, b) => +a.started_on - +b.started_on);
      for (let k = 1; k < spans.length; k++) expect(+spans[k]!.started_on).toBeGreaterThanOrEqual(+spans[k - 1]!.completed_on!);
    }
  }, 200_000);
});
