// Grants entitlements from a separate process and waits for their reconciliation:
//   tsx tests/support/grant-worker.ts '[{"email":"a@example.com","productSlug":"p"}]'
// Configuration (DATABASE_URL, AWS credentials and endpoint, ...) comes from the environment.
import { systemActor } from "@/lib/audit/actor";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { workerMain } from "./worker-main";
import { inAYear } from "./seed";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

export type GrantRequest = { email: string; productSlug: string; expiresAt?: string; externalRef?: string };
export type GrantWorkerResult = {
  ok: boolean;
  /** Wall-clock span of the grants and their reconciliation, to check that workers overlapped. */
  startedAt: number;
  finishedAt: number;
  grants: { email: string; entitlementId: string; customerId: string; reconciled: { ok: boolean; error?: string } }[];
};

const actor = systemActor(`grant-worker ${process.pid}`);

workerMain<GrantRequest[], GrantWorkerResult>(async (requests) => {
  const startedAt = Date.now();
  // All at once, like simultaneous purchases hitting one server.
  const grants = await Promise.all(
    requests.map(async (r) => {
      const granted = await grantEntitlement({
        actor,
        source: "API",
        input: { customerEmail: r.email, productSlug: r.productSlug, expiresAt: r.expiresAt ?? inAYear(), externalRef: r.externalRef },
      });
      const reconciled = await convergeCustomer(granted.entitlement.customerId, actor);
      return { email: r.email, entitlementId: granted.entitlement.id, customerId: granted.entitlement.customerId, reconciled };
    }),
  );
  return { ok: grants.every((g) => g.reconciled.ok), startedAt, finishedAt: Date.now(), grants };
});
