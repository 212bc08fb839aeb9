import { describe, expect, it } from "vitest";
import { accessEndsAt, displayState, grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import type { EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";

const DAY = 86_400_000;
const now = new Date("2027-06-15T12:00:00Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

const entitlement = (over: Partial<{ status: EntitlementStatus; startsAt: Date; expiresAt: Date; syncStatus: SyncStatus }> = {}) => ({
  status: "ACTIVE" as EntitlementStatus,
  startsAt: at(-10 * DAY),
  expiresAt: at(10 * DAY),
  syncStatus: "SYNCED" as SyncStatus,
  ...over,
});

describe("accessEndsAt", () => {
  it("adds the grace period in whole days", () => {
    const expires = new Date("2027-01-31T00:00:00Z");
    expect(accessEndsAt(expires, 0)).toEqual(expires);
    expect(accessEndsAt(expires, 7)).toEqual(new Date("2027-02-07T00:00:00Z"));
  });
});

describe("grantsAccess", () => {
  it("grants while active, started and not yet expired", () => {
    expect(grantsAccess(entitlement(), 0, now)).toBe(true);
  });

  it("does not grant before the start date, and grants from the exact start instant", () => {
    expect(grantsAccess(entitlement({ startsAt: at(1) }), 0, now)).toBe(false);
    expect(grantsAccess(entitlement({ startsAt: now }), 0, now)).toBe(true);
  });

  it("stops at the exact expiry without a grace period", () => {
    expect(grantsAccess(entitlement({ expiresAt: at(1) }), 0, now)).toBe(true);
    expect(grantsAccess(entitlement({ expiresAt: now }), 0, now)).toBe(false);
  });

  it("keeps access through the grace period and ends it after", () => {
    expect(grantsAccess(entitlement({ expiresAt: at(-DAY + 1) }), 1, now)).toBe(true);
    expect(grantsAccess(entitlement({ expiresAt: at(-DAY) }), 1, now)).toBe(false);
    expect(grantsAccess(entitlement({ expiresAt: at(-2 * DAY) }), 1, now)).toBe(false);
  });

  it.each(["SUSPENDED", "EXPIRED", "REVOKED"] as const)("never grants a %s entitlement, whatever its dates", (status) => {
    expect(grantsAccess(entitlement({ status }), 30, now)).toBe(false);
  });
});

describe("displayState", () => {
  it.each([
    ["scheduled", { startsAt: at(DAY) }, 0],
    ["scheduled", { startsAt: at(DAY), syncStatus: "FAILED" as const }, 0],
    ["provisioning", { syncStatus: "PENDING" as const }, 0],
    ["failed", { syncStatus: "FAILED" as const }, 0],
    ["active", {}, 0],
    ["grace", { expiresAt: at(-1) }, 1],
    ["grace", { expiresAt: now }, 1],
    ["provisioning", { expiresAt: at(-1), syncStatus: "PENDING" as const }, 1],
    ["revoking", { expiresAt: at(-1) }, 0],
    ["revoking", { expiresAt: at(-2 * DAY) }, 1],
  ])("ACTIVE reads as %s (%o, grace %i)", (expected, over, grace) => {
    expect(displayState(entitlement(over), grace, now)).toBe(expected);
  });

  it.each([
    ["SUSPENDED", "SYNCED", "suspended"],
    ["EXPIRED", "SYNCED", "expired"],
    ["REVOKED", "SYNCED", "revoked"],
    ["SUSPENDED", "PENDING", "revoking"],
    ["EXPIRED", "PENDING", "revoking"],
    ["REVOKED", "PENDING", "revoking"],
    ["REVOKED", "FAILED", "failed"],
    ["EXPIRED", "FAILED", "failed"],
  ] as const)("%s with sync %s reads as %s", (status, syncStatus, expected) => {
    expect(displayState(entitlement({ status, syncStatus }), 0, now)).toBe(expected);
  });
});
