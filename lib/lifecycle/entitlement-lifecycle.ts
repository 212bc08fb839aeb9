// Pure rules of an entitlement's life: when it grants access and how it reads to a person.
import type { EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { addDays } from "@/lib/time/days";

export type Timing = { status: EntitlementStatus; startsAt: Date; expiresAt: Date };

/** Access continues through the product's grace period after expiry. */
export function accessEndsAt(expiresAt: Date, gracePeriodDays: number): Date {
  return addDays(expiresAt, gracePeriodDays);
}

export function grantsAccess(entitlement: Timing, gracePeriodDays: number, now: Date): boolean {
  return (
    entitlement.status === "ACTIVE" &&
    entitlement.startsAt <= now &&
    now < accessEndsAt(entitlement.expiresAt, gracePeriodDays)
  );
}

export type DisplayState =
  | "scheduled"
  | "provisioning"
  | "active"
  | "grace"
  | "failed"
  | "suspended"
  | "revoking"
  | "expired"
  | "revoked";

/** One word for people: what the customer can do now, and whether AWS has caught up yet. */
export function displayState(
  entitlement: Timing & { syncStatus: SyncStatus },
  gracePeriodDays: number,
  now: Date,
): DisplayState {
  const { status, syncStatus } = entitlement;
  if (status === "ACTIVE") {
    if (entitlement.startsAt > now) return "scheduled";
    if (!grantsAccess(entitlement, gracePeriodDays, now)) return "revoking";
    if (syncStatus === "FAILED") return "failed";
    if (syncStatus === "PENDING") return "provisioning";
    return entitlement.expiresAt <= now ? "grace" : "active";
  }
  if (syncStatus !== "SYNCED") return syncStatus === "FAILED" ? "failed" : "revoking";
  if (status === "SUSPENDED") return "suspended";
  return status === "EXPIRED" ? "expired" : "revoked";
}
