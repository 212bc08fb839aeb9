import type { RepositoryRef } from "@/lib/aws/ecr";
import { db } from "@/lib/db";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { grantsAccess, type Timing } from "@/lib/lifecycle/entitlement-lifecycle";

const key = (r: RepositoryRef) => `${r.accountId}/${r.region}/${r.name}`;

type HeldEntitlement = Timing & { product: { gracePeriodDays: number; repositories: RepositoryRef[] } };

/** The distinct repositories of the entitlements that grant access now, in a stable order. */
export function entitledRepositories(entitlements: HeldEntitlement[], now: Date): RepositoryRef[] {
  const repositories = new Map<string, RepositoryRef>();
  for (const e of entitlements) {
    if (!grantsAccess(e, e.product.gracePeriodDays, now)) continue;
    for (const r of e.product.repositories) repositories.set(key(r), { accountId: r.accountId, region: r.region, name: r.name });
  }
  return [...repositories.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * Every repository of every product the customer may pull now, in every registry: what the
 * policy its own AWS accounts are handed must allow. The download page hands that policy out and
 * the access check judges an account with exactly it, so both derive it with `entitledRepositories`.
 * With `mode`, only the products that offer that way to pull.
 */
export async function ownAccountRepositories(customerId: string, now = new Date(), mode?: AccessMode): Promise<RepositoryRef[]> {
  const entitlements = await db.entitlement.findMany({
    where: { customerId, status: "ACTIVE", ...(mode ? { product: { accessModes: { has: mode } } } : {}) },
    select: {
      status: true,
      startsAt: true,
      expiresAt: true,
      product: { select: { gracePeriodDays: true, repositories: { select: { accountId: true, region: true, name: true } } } },
    },
  });
  return entitledRepositories(entitlements, now);
}
