import type { RepositoryRef } from "@/lib/aws/ecr";
import { db } from "@/lib/db";
import { grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";

const key = (r: RepositoryRef) => `${r.accountId}/${r.region}/${r.name}`;

/**
 * Every repository of every product the customer may pull now, in every registry: what the
 * policy its own AWS accounts are handed must allow. The download page hands that policy out and
 * the access check judges an account with exactly it, so both read it here.
 */
export async function ownAccountRepositories(customerId: string, now = new Date()): Promise<RepositoryRef[]> {
  const entitlements = await db.entitlement.findMany({
    where: { customerId, status: "ACTIVE" },
    select: {
      status: true,
      startsAt: true,
      expiresAt: true,
      product: { select: { gracePeriodDays: true, repositories: { select: { accountId: true, region: true, name: true } } } },
    },
  });
  const repositories = new Map<string, RepositoryRef>();
  for (const e of entitlements) {
    if (!grantsAccess(e, e.product.gracePeriodDays, now)) continue;
    for (const r of e.product.repositories) repositories.set(key(r), r);
  }
  return [...repositories.values()].sort((a, b) => key(a).localeCompare(key(b)));
}
