// moto accepts but does not keep a user's permissions boundary, so this reads the CreateUser
// request on the wire (through the test proxy) and the boundary policy the portal created.
import { afterAll, describe, expect, inject, it } from "vitest";
import { BOUNDARY_POLICY_ACTIONS } from "@/lib/aws/login-policy";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";
import { startFaultProxy } from "../support/fault-proxy";
import type { GrantWorkerResult } from "../support/grant-worker";
import { runWorker } from "../support/run-worker";
import { unique } from "../support/seed";

const ctx = inject("integration");

afterAll(closePools);

describe("customer users", () => {
  it("are created with the customer permissions boundary, which allows only login and pulls", async () => {
    const proxy = await startFaultProxy(ctx.awsEndpoint);
    const admin = awsAdmin(ctx);
    try {
      const { product } = await admin.productOnNewRepository();
      const run = await runWorker<GrantWorkerResult>("grant-worker.ts", [{ email: `${unique("bounded")}@example.com`, productSlug: product.slug }], {
        env: { PULLGATE_AWS_ENDPOINT: proxy.url },
        timeoutMs: 90_000,
      });
      expect(run.result?.ok, run.stderr).toBe(true);

      const boundaryArn = `arn:aws:iam::${ctx.accountId}:policy/pullgate/PullgateCustomerBoundary`;
      const createUser = proxy.log.find((r) => r.operation === "iam:CreateUser");
      expect(new URLSearchParams(createUser?.body).get("PermissionsBoundary")).toBe(boundaryArn);

      const boundary = (await admin.policyDocument(boundaryArn)) as { Statement: { Action: string | string[] }[] };
      const actions = boundary.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      expect(actions.sort()).toEqual([...BOUNDARY_POLICY_ACTIONS].sort());
      expect(actions).toEqual(expect.arrayContaining(PULL_ACTIONS));
    } finally {
      admin.destroy();
      await proxy.close();
    }
  });
});
