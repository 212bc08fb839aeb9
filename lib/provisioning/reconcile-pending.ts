import { db } from "@/lib/db";
import { productTagOn } from "./product-tag";

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

/** Identity-policy repositories whose product tag is not confirmed in AWS: their reconcile tags them. */
export async function findUntaggedRepositories(): Promise<string[]> {
  const rows = await db.repository.findMany({
    where: { strategy: "IDENTITY_POLICY" },
    select: { id: true, taggedFor: true, product: { select: { pullTag: true } } },
  });
  return rows.filter((r) => !productTagOn(r)).map((r) => r.id);
}
