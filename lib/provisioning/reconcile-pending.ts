import { db } from "@/lib/db";
import { productTagOn } from "./product-tag";
import { wantedVendorTrust } from "./vendor-users";

// A pending entitlement younger than this may still have its job queued behind a burst.
export const PENDING_GRACE_MS = 5 * 60_000;

/** Customers with provisioning pending for long enough that its job may have been lost. */
export async function findStalePending(now: Date): Promise<string[]> {
  const rows = await db.entitlement.findMany({
    where: { syncStatus: "PENDING", updatedAt: { lte: new Date(now.getTime() - PENDING_GRACE_MS) } },
    select: { customerId: true },
    distinct: ["customerId"],
    take: 1000,
  });
  return rows.map((r) => r.customerId);
}

/** Customers holding a retiring key whose overlap has ended: their reconcile deletes it. */
export async function findDueKeyRetirements(now: Date): Promise<string[]> {
  const rows = await db.awsIdentity.findMany({
    where: { liveFor: { not: null }, accessKeys: { some: { status: "RETIRING", retireAfter: { lte: now } } } },
    select: { customerId: true },
    take: 1000,
  });
  return rows.map((r) => r.customerId);
}

/**
 * Repositories whose reconcile has something to settle that no grant asks for: identity-policy
 * ones whose product tag is not confirmed in AWS (it tags them), and those in the vendor's other
 * accounts whose policy does not trust Pullgate's principals as this release names them (it
 * writes the trust: pull tokens and workload roles rely on it).
 */
export async function findRepositoriesToSettle(): Promise<string[]> {
  const { home, key } = await wantedVendorTrust();
  const rows = await db.repository.findMany({
    where: { OR: [{ strategy: "IDENTITY_POLICY" }, { accountId: { not: home.accountId }, OR: [{ vendorTrust: null }, { vendorTrust: { not: key } }] }] },
    select: { id: true, accountId: true, strategy: true, vendorTrust: true, taggedFor: true, product: { select: { pullTag: true } } },
  });
  const untrusting = (r: (typeof rows)[number]) => r.accountId !== home.accountId && r.vendorTrust !== key;
  return rows.filter((r) => untrusting(r) || (r.strategy === "IDENTITY_POLICY" && !productTagOn(r))).map((r) => r.id);
}
