// ECR rejects a policy naming a principal IAM has not propagated yet ("Principal not found",
// for seconds up to ~2 minutes after CreateUser). moto is immediately consistent, so a proxy in
// front of it answers SetRepositoryPolicy the way ECR does during that window.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/audit/actor";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { probe } from "../support/aws-probe";
import { productBehindFaultProxy } from "../support/product-behind-fault-proxy";
import type { GrantWorkerResult } from "../support/grant-worker";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";

const aws = productBehindFaultProxy();

const grantThroughProxy = (email: string, retrySeconds: number) =>
  runWorker<GrantWorkerResult>("grant-worker.ts", [{ email, productSlug: aws.slug }], {
    env: { PULLGATE_AWS_ENDPOINT: aws.proxy.url, PULLGATE_PRINCIPAL_RETRY_SECONDS: String(retrySeconds) },
    timeoutMs: 90_000,
  });

describe("a principal IAM has not propagated yet", () => {
  it("is retried with backoff until ECR accepts it", async () => {
    aws.proxy.rejectPrincipals(3);
    const run = await grantThroughProxy(`${unique("propagating")}@example.com`, 30);
    expect(run.result?.ok, run.stderr).toBe(true);
    const writes = aws.proxy.log.filter((r) => r.operation === "ecr:SetRepositoryPolicy").map((r) => r.outcome);
    expect(writes).toEqual([400, 400, 400, 200]);
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: run.result!.grants[0]!.customerId } });
    expect(await probe.principals(aws.repo)).toContain(identity.arn);
  });

  it("fails visibly once the retry budget is spent, and a later retry completes it", async () => {
    aws.proxy.rejectPrincipals(1_000);
    const email = `${unique("slow-iam")}@example.com`;
    const run = await grantThroughProxy(email, 1);
    expect(run.result?.ok).toBe(false);
    const failed = await db.entitlement.findFirstOrThrow({ where: { customer: { users: { some: { email } } } } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(/Principal not found/);
    aws.proxy.heal();

    // What the job engine's retry of the failed job runs.
    expect(await convergeCustomer(failed.customerId, systemActor("test"))).toEqual({ ok: true });
    const retried = await db.entitlement.findUniqueOrThrow({ where: { id: failed.id } });
    expect(retried.syncStatus).toBe("SYNCED");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: failed.customerId } });
    expect(await probe.principals(aws.repo)).toContain(identity.arn);
    const actions = (await db.auditEvent.findMany({ where: { entitlementId: failed.id } })).map((e) => e.action);
    expect(actions).toContain("provisioning.failed");
  });
});
