// Revokes entitlements from a separate process and waits for their reconciliation:
//   tsx tests/support/revoke-worker.ts '["<entitlement id>", ...]'
import { systemActor } from "@/lib/audit/actor";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { workerMain } from "./worker-main";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

export type RevokeWorkerResult = { ok: boolean; revoked: { entitlementId: string; reconciled: { ok: boolean; error?: string } }[] };

const actor = systemActor(`revoke-worker ${process.pid}`);

workerMain<string[], RevokeWorkerResult>(async (entitlementIds) => {
  const revoked = await Promise.all(
    entitlementIds.map(async (entitlementId) => {
      const result = await revokeEntitlement({ actor, entitlementId, reason: "revoke-worker" });
      return { entitlementId, reconciled: await convergeCustomer(result.entitlement.customerId, actor) };
    }),
  );
  return { ok: revoked.every((r) => r.reconciled.ok), revoked };
});
