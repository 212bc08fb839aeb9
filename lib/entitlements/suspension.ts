import type { Actor } from "@/lib/audit/actor";
import { changeEntitlementStatus } from "./change-status";

type Input = { actor: Actor; entitlementId: string; reason?: string };

/**
 * Takes the customer out of the product's repositories but keeps its IAM user and keys, so
 * resuming restores access without new credentials. The expiry still applies while suspended.
 */
export function suspendEntitlement({ actor, entitlementId, reason }: Input) {
  return changeEntitlementStatus({
    actor,
    entitlementId,
    from: ["ACTIVE"],
    data: { status: "SUSPENDED", endedReason: reason ?? "suspended" },
    action: "entitlement.suspended",
    auditData: { reason: reason ?? null },
  });
}

export function resumeEntitlement({ actor, entitlementId }: Omit<Input, "reason">) {
  return changeEntitlementStatus({
    actor,
    entitlementId,
    from: ["SUSPENDED"],
    data: { status: "ACTIVE", endedReason: null },
    action: "entitlement.resumed",
  });
}
