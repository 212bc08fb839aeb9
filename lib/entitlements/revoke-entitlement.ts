import type { Actor } from "@/lib/audit/actor";
import { changeEntitlementStatus } from "./change-status";

/** Ends an entitlement now. Revoking a revoked entitlement changes nothing. */
export function revokeEntitlement({ actor, entitlementId, reason }: { actor: Actor; entitlementId: string; reason?: string }) {
  return changeEntitlementStatus({
    actor,
    entitlementId,
    from: ["ACTIVE", "SUSPENDED"],
    data: { status: "REVOKED", endedAt: new Date(), endedReason: reason ?? "revoked" },
    action: "entitlement.revoked",
    auditData: { reason: reason ?? null },
  });
}
