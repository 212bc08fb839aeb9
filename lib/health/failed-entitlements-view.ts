import { db } from "@/lib/db";

export type FailedEntitlementRow = {
  id: string;
  customerName: string;
  productName: string;
  /** The AWS error of the last try; null if none was recorded. */
  syncError: string | null;
  syncAttempts: number;
  /** When it was last tried. */
  updatedAt: Date;
};

/** Entitlements whose provisioning failed, the latest tried first: what the overview and engine pages list. */
export async function listFailedEntitlements(limit: number): Promise<FailedEntitlementRow[]> {
  const failed = await db.entitlement.findMany({
    where: { syncStatus: "FAILED" },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: { id: true, syncError: true, syncAttempts: true, updatedAt: true, customer: { select: { name: true } }, product: { select: { name: true } } },
  });
  return failed.map(({ customer, product, ...e }) => ({ ...e, customerName: customer.name, productName: product.name }));
}
