import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import type { Repository } from "@/lib/generated/prisma/client";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { within } from "../support/deadline";
import type { GrantRequest, GrantWorkerResult } from "../support/grant-worker";
import { runWorker } from "../support/run-worker";
import { createProduct, inAYear, unique } from "../support/seed";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

const ctx = inject("integration");
const actor = systemActor("test");

let slug: string;
let reporting: Repository;

beforeAll(async () => {
  // acme/reporting belongs to this file alone: a repository row can be attached to one product only.
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: ["acme/reporting"] });
  slug = product.slug;
  reporting = product.repositories[0]!;
});

afterAll(closePools);

async function liveArns(customerIds: string[]) {
  const identities = await db.awsIdentity.findMany({ where: { liveFor: { in: customerIds } }, select: { arn: true } });
  return identities.map((i) => i.arn).sort();
}

describe("many purchases of one product at the same moment", () => {
  it(
    "puts all 20 principals into the single repository policy (one process)",
    async () => {
    const emails = Array.from({ length: 20 }, () => `${unique("concurrent")}@example.com`);
    const granted = await Promise.all(
      emails.map((customerEmail) =>
        grantEntitlement({ actor, source: "API", input: { customerEmail, productSlug: slug, expiresAt: inAYear() } }),
      ),
    );
    let done = 0;
    const converging = granted.map((g) => convergeCustomer(g.entitlement.customerId, actor).finally(() => done++));
    const settled = await within(Promise.allSettled(converging), 60_000, "reconciliations hung").catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${done} of 20 settled (a lock or its connection pool is stuck)`);
      },
    );
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : s.reason))).toEqual(emails.map(() => ({ ok: true })));

    const customerIds = granted.map((g) => g.entitlement.customerId);
    const arns = await liveArns(customerIds);
    expect(arns).toHaveLength(20);
    expect(await probe.principals(reporting)).toEqual(expect.arrayContaining(arns));

    const entitlements = await db.entitlement.findMany({ where: { id: { in: granted.map((g) => g.entitlement.id) } } });
    expect(entitlements.map((e) => e.syncStatus)).toEqual(emails.map(() => "SYNCED"));
    const grants = await db.repositoryGrant.findMany({ where: { repositoryId: reporting.id, principal: { in: arns } } });
    expect(grants.filter((g) => g.desired && g.applied)).toHaveLength(20);
  });

  it(
    "keeps all 20 principals when 4 processes grant 5 each (PostgreSQL advisory lock)",
    async () => {
      const batches: GrantRequest[][] = Array.from({ length: 4 }, () =>
        Array.from({ length: 5 }, () => ({ email: `${unique("multiproc")}@example.com`, productSlug: slug })),
      );
      const runs = await Promise.all(batches.map((batch) => runWorker<GrantWorkerResult>("grant-worker.ts", batch)));
      for (const run of runs) {
        expect(run.timedOut, run.stderr).toBe(false);
        expect(run.code, run.stderr).toBe(0);
        expect(run.result?.grants).toHaveLength(5);
      }

      // All four were working at one common instant, so their policy writes really contended.
      const lastStart = Math.max(...runs.map((r) => r.result!.startedAt));
      const firstFinish = Math.min(...runs.map((r) => r.result!.finishedAt));
      expect(lastStart, "the workers did not overlap").toBeLessThan(firstFinish);

      const customerIds = runs.flatMap((r) => r.result!.grants.map((g) => g.customerId));
      expect(new Set(customerIds).size).toBe(20);
      const arns = await liveArns(customerIds);
      expect(arns).toHaveLength(20);
      expect(await probe.principals(reporting)).toEqual(expect.arrayContaining(arns));
    },
  );
});
