// ECR rejects a policy naming a principal IAM has not propagated yet ("Principal not found",
// for seconds up to ~2 minutes after CreateUser). moto is immediately consistent, so the tests'
// AWS oracle answers SetRepositoryPolicy the way ECR does while a user it saw created is younger
// than its principalVisibleAfterSeconds.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/audit/actor";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { readOracleReport, setOracleLimits } from "../support/aws-oracle/oracle-proxy";
import { probe } from "../support/aws-probe";
import type { GrantWorkerResult } from "../support/grant-worker";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";

const { ctx, product } = productOnNewRepositoryFixture();

// The oracle is shared with the other test files, which must not wait for IAM.
afterEach(() => setOracleLimits(ctx.awsEndpoint));

// In a process of its own, for a retry budget of its own.
const grantWithRetryBudget = (email: string, retrySeconds: number) =>
  runWorker<GrantWorkerResult>("grant-worker.ts", [{ email, productSlug: product.slug }], {
    env: { PULLGATE_PRINCIPAL_RETRY_SECONDS: String(retrySeconds) },
    timeoutMs: 90_000,
  });

/** SetRepositoryPolicy calls the oracle has refused so far because IAM had not propagated a principal. */
const principalsNotFound = async () =>
  (await readOracleReport(ctx.awsEndpoint)).refused.filter((r) => r.action === "ecr:SetRepositoryPolicy" && /Principal not found/.test(r.message)).length;

describe("a principal IAM has not propagated yet", () => {
  it("is retried with backoff until ECR accepts it", async () => {
    await setOracleLimits(ctx.awsEndpoint, { principalVisibleAfterSeconds: 2 });
    const before = await principalsNotFound();
    const run = await grantWithRetryBudget(`${unique("propagating")}@example.com`, 30);
    expect(run.result?.ok, run.stderr).toBe(true);
    // The first write and its retry after 0.25-0.5 s both fall within the 2 s.
    expect((await principalsNotFound()) - before).toBeGreaterThanOrEqual(2);
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: run.result!.grants[0]!.customerId } });
    expect(await probe.principals(product.repo)).toContain(identity.arn);
  });

  it("fails visibly once the retry budget is spent, and a later retry completes it", async () => {
    await setOracleLimits(ctx.awsEndpoint, { principalVisibleAfterSeconds: 60 });
    const email = `${unique("slow-iam")}@example.com`;
    const run = await grantWithRetryBudget(email, 1);
    expect(run.result?.ok).toBe(false);
    const failed = await db.entitlement.findFirstOrThrow({ where: { customer: { users: { some: { email } } } } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(/Principal not found/);
    // By the job engine's retry IAM has propagated the user: the window is over.
    await setOracleLimits(ctx.awsEndpoint);

    // What the job engine's retry of the failed job runs.
    expect(await convergeCustomer(failed.customerId, systemActor("test"))).toEqual({ ok: true });
    const retried = await db.entitlement.findUniqueOrThrow({ where: { id: failed.id } });
    expect(retried.syncStatus).toBe("SYNCED");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: failed.customerId } });
    expect(await probe.principals(product.repo)).toContain(identity.arn);
    const actions = (await db.auditEvent.findMany({ where: { entitlementId: failed.id } })).map((e) => e.action);
    expect(actions).toContain("provisioning.failed");
  });
});
