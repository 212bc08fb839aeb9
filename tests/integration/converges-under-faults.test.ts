// AWS throttles, fails (sometimes after acting), and lags. Purchases and revocations made through
// such an AWS, then retried by the worker's sweep, must end exactly as on a good day: one user and
// one key per customer, every principal in place, and after revocation nothing left.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { probe } from "../support/aws-probe";
import { productBehindFaultProxy } from "../support/product-behind-fault-proxy";
import type { GrantWorkerResult } from "../support/grant-worker";
import type { RevokeWorkerResult } from "../support/revoke-worker";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";
import type { SweepWorkerResult } from "../support/sweep-worker";

const aws = productBehindFaultProxy();
const CUSTOMERS = 8;

const opts = () => ({ env: { PULLGATE_AWS_ENDPOINT: aws.proxy.url }, timeoutMs: 120_000 });

/** Sweeps through the faulty AWS until every given entitlement is synced (or gives up). */
async function sweepUntilSynced(ids: string[]) {
  for (let pass = 0; pass < 15; pass++) {
    const open = await db.entitlement.count({ where: { id: { in: ids }, syncStatus: { not: "SYNCED" } } });
    if (open === 0) return pass;
    await runWorker<SweepWorkerResult>("sweep-worker.ts", {}, opts());
  }
  throw new Error("did not converge in 15 sweeps");
}

describe("under throttling, 5xx (before and after acting) and latency", () => {
  it("converges every grant and then every revocation with nothing lost or duplicated", async () => {
    aws.proxy.setWeather({ latencyMs: 20, throttleRate: 0.1, errorRate: 0.08, lateErrorRate: 0.05, seed: 7 });
    const emails = Array.from({ length: CUSTOMERS }, () => `${unique("weather")}@example.com`);
    const granted = await runWorker<GrantWorkerResult>("grant-worker.ts", emails.map((email) => ({ email, productSlug: aws.slug })), opts());
    expect(granted.result, granted.stderr).not.toBeNull();
    const ids = granted.result!.grants.map((g) => g.entitlementId);
    await sweepUntilSynced(ids);
    // The seeded weather really struck: throttles, failures, and failures after AWS had acted.
    const outcomes = aws.proxy.log.map((r) => (r.outcome === 500 && r.body !== undefined ? "late" : String(r.outcome)));
    expect(outcomes).toEqual(expect.arrayContaining(["400", "500", "late"]));

    const customerIds = granted.result!.grants.map((g) => g.customerId);
    const identities = await db.awsIdentity.findMany({ where: { customerId: { in: customerIds }, liveFor: { not: null } } });
    expect(identities).toHaveLength(CUSTOMERS);
    expect((await probe.principals(aws.repo)).sort()).toEqual(identities.map((i) => i.arn).sort());
    for (const identity of identities) {
      expect(await aws.admin.customerUserNames(identity.customerId)).toEqual([identity.userName]);
      const active = await db.accessKey.findMany({ where: { identityId: identity.id, status: "ACTIVE" } });
      expect(await probe.keyIds(identity.userName)).toEqual(active.map((k) => k.accessKeyId));
      expect(active).toHaveLength(1);
    }

    const revoked = await runWorker<RevokeWorkerResult>("revoke-worker.ts", ids, opts());
    expect(revoked.result, revoked.stderr).not.toBeNull();
    await sweepUntilSynced(ids);
    aws.proxy.heal();
    expect(await probe.principals(aws.repo)).toEqual([]);
    for (const customerId of customerIds) expect(await aws.admin.customerUserNames(customerId)).toEqual([]);
    expect(await db.awsIdentity.count({ where: { customerId: { in: customerIds }, liveFor: { not: null } } })).toBe(0);
  });
});
