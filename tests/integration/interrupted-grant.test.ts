import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { probe } from "../support/aws-probe";
import { productBehindFaultProxy } from "../support/product-behind-fault-proxy";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import type { GrantWorkerResult } from "../support/grant-worker";
import type { RevokeWorkerResult } from "../support/revoke-worker";
import { runWorker } from "../support/run-worker";
import { inAYear, unique } from "../support/seed";

// A grant or revocation dies right after one AWS call took effect (its answer lost, every later
// call failing), at each call in turn; a rerun of the reconciler must then converge completely.

const actor = systemActor("test");
const aws = productBehindFaultProxy({ foreignStatement: FOREIGN_STATEMENT });

const throughProxy = () => ({ env: { PULLGATE_AWS_ENDPOINT: aws.proxy.url } });

async function customerIdOf(email: string) {
  return (await db.user.findUniqueOrThrow({ where: { email }, select: { customerId: true } })).customerId!;
}

async function customerPrincipals(customerId: string) {
  return (await probe.principals(aws.repo)).filter((p) => p.includes(`/pullgate-${customerId}-`));
}

/** Everything a finished grant leaves, and nothing more. `at` names the interrupted call. */
async function expectGranted(customerId: string, at: string) {
  const soft = (value: unknown, what: string) => expect.soft(value, `${at}: ${what}`);
  const entitlements = await db.entitlement.findMany({ where: { customerId } });
  soft(entitlements.map((e) => e.syncStatus), "entitlement synced").toEqual(["SYNCED"]);

  const live = await db.awsIdentity.findMany({ where: { customerId, liveFor: { not: null } } });
  soft(live.length, "exactly one live identity").toBe(1);
  const identity = live[0];
  if (!identity) return;
  soft(identity.status, "identity status").toBe("ACTIVE");
  soft(await probe.userExists(identity.userName), "IAM user exists").toBe(true);
  soft(await aws.admin.customerUserNames(customerId), "no orphan IAM user").toEqual([identity.userName]);

  const dbKeys = await db.accessKey.findMany({ where: { identityId: identity.id, status: { not: "DELETED" } } });
  soft(dbKeys.map((k) => k.status), "one ACTIVE key in the database").toEqual(["ACTIVE"]);
  soft(await probe.keyIds(identity.userName), "AWS holds exactly the database's key").toEqual(dbKeys.map((k) => k.accessKeyId));

  soft(await customerPrincipals(customerId), "principal in the repository policy, no stale one").toEqual([identity.arn]);
  soft((await probe.policy(aws.repo)).Statement, "foreign statement kept").toContainEqual(FOREIGN_STATEMENT);
  const grants = await db.repositoryGrant.findMany({ where: { identityId: identity.id } });
  soft(grants.map((g) => [g.desired, g.applied]), "grant desired and applied").toEqual([[true, true]]);
}

/** Everything a finished revocation leaves: no user, no principal, the identity kept as DELETED. */
async function expectRevoked(customerId: string, at: string) {
  const soft = (value: unknown, what: string) => expect.soft(value, `${at}: ${what}`);
  const entitlements = await db.entitlement.findMany({ where: { customerId } });
  soft(entitlements.map((e) => [e.status, e.syncStatus]), "entitlement revoked and synced").toEqual([["REVOKED", "SYNCED"]]);
  const identities = await db.awsIdentity.findMany({ where: { customerId } });
  soft(identities.map((i) => [i.status, i.liveFor]), "identity DELETED").toEqual([["DELETED", null]]);
  soft(await aws.admin.customerUserNames(customerId), "no IAM user left").toEqual([]);
  soft(await customerPrincipals(customerId), "principal gone").toEqual([]);
  soft((await probe.policy(aws.repo)).Statement, "foreign statement kept").toContainEqual(FOREIGN_STATEMENT);
  const keys = await db.accessKey.findMany({ where: { identity: { customerId } } });
  soft(keys.map((k) => k.status), "keys DELETED").toEqual(keys.map(() => "DELETED"));
}

/** The number of AWS requests a run makes when nothing fails, with the operations for messages. */
async function countCalls(run: () => Promise<{ code: number | null; stderr: string }>) {
  aws.proxy.heal();
  const { code, stderr } = await run();
  expect(code, stderr).toBe(0);
  const operations = aws.proxy.log.map((r) => r.operation);
  expect(aws.proxy.log.every((r) => typeof r.outcome === "number")).toBe(true);
  return operations;
}

type Mode = "cut" | "SIGKILL";
const MODES: Mode[] = ["cut", "SIGKILL"];

/**
 * Runs a worker with the connection cut after `n` AWS calls; in SIGKILL mode the worker process
 * is also killed at that moment, as a crash or an out-of-memory kill would.
 */
function interrupted<R>(mode: Mode, n: number, script: string, arg: unknown) {
  let pid = 0;
  aws.proxy.cutAfter(n, mode === "SIGKILL" ? () => process.kill(-pid, "SIGKILL") : undefined);
  return runWorker<R>(script, arg, { ...throughProxy(), onStart: (p) => (pid = p) });
}

describe.each(MODES)("a grant interrupted after any AWS call (%s)", (mode) => {
  it("converges on rerun, at every call", { timeout: 600_000 }, async () => {
    const baselineEmail = `${unique("uninterrupted")}@example.com`;
    const operations = await countCalls(() =>
      runWorker<GrantWorkerResult>("grant-worker.ts", [{ email: baselineEmail, productSlug: aws.slug }], throughProxy()),
    );
    // At least: find and create the user, attach the policy, list and create the key, read and write the policy.
    expect(operations.length).toBeGreaterThanOrEqual(7);
    expect(operations).toEqual(expect.arrayContaining(["iam:CreateUser", "iam:CreateAccessKey", "ecr:SetRepositoryPolicy"]));
    await expectGranted(await customerIdOf(baselineEmail), "uninterrupted");

    for (let n = 0; n < operations.length; n++) {
      const email = `${unique("interrupted-grant")}@example.com`;
      const run = await interrupted<GrantWorkerResult>(mode, n, "grant-worker.ts", [{ email, productSlug: aws.slug }]);
      const at = `cut after ${n} calls, at ${aws.proxy.log.find((r) => r.outcome === "cut")?.operation}`;
      expect(aws.proxy.cut, `${at}: the fault happened`).toBe(true);
      expect(run.timedOut, `${at}: ${run.stderr}`).toBe(false);
      if (mode === "SIGKILL") expect(run.result, `${at}: the worker died`).toBeNull();
      aws.proxy.heal();

      const customerId = await customerIdOf(email);
      expect(await convergeCustomer(customerId, actor), at).toEqual({ ok: true });
      await expectGranted(customerId, at);
    }
  });
});

describe.each(MODES)("a revocation interrupted after any AWS call (%s)", (mode) => {
  async function grantDirectly() {
    const granted = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: `${unique("to-revoke")}@example.com`, productSlug: aws.slug, expiresAt: inAYear() },
    });
    expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
    return granted.entitlement;
  }

  it("converges on rerun, at every call", { timeout: 600_000 }, async () => {
    const baseline = await grantDirectly();
    const operations = await countCalls(() => runWorker<RevokeWorkerResult>("revoke-worker.ts", [baseline.id], throughProxy()));
    expect(operations).toEqual(expect.arrayContaining(["ecr:SetRepositoryPolicy", "iam:DeleteAccessKey", "iam:DeleteUser"]));
    // The principal leaves the repository policy before the user is touched.
    expect(operations.indexOf("ecr:SetRepositoryPolicy")).toBeLessThan(operations.indexOf("iam:DeleteAccessKey"));
    await expectRevoked(baseline.customerId, "uninterrupted");

    for (let n = 0; n < operations.length; n++) {
      const entitlement = await grantDirectly();
      const run = await interrupted<RevokeWorkerResult>(mode, n, "revoke-worker.ts", [entitlement.id]);
      const at = `cut after ${n} calls, at ${aws.proxy.log.find((r) => r.outcome === "cut")?.operation}`;
      expect(aws.proxy.cut, `${at}: the fault happened`).toBe(true);
      expect(run.timedOut, `${at}: ${run.stderr}`).toBe(false);
      if (mode === "SIGKILL") expect(run.result, `${at}: the worker died`).toBeNull();
      aws.proxy.heal();

      expect(await convergeCustomer(entitlement.customerId, actor), at).toEqual({ ok: true });
      await expectRevoked(entitlement.customerId, at);
    }
  });
});
