import { registryHost, repositoryArn } from "@/lib/aws/ecr";
import type { InlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import { productTagOn } from "./product-tag";

export type KeylessGrant = { grant: InlinePullGrant; partition: string; registries: { region: string; host: string }[] };

/**
 * What a keyless principal of the customer (a broker session, its workload role) may pull now
 * through `mode`: the products that offer it, as product tags, and repositories not tagged yet by
 * ARN; with the registries they live in. Only the portal's own account: repositories of the
 * vendor's other accounts trust named principals in their policies, which these are not (yet).
 * Null when no entitlement that offers the mode grants access now.
 */
export async function keylessGrant(customerId: string, mode: AccessMode, now = new Date()): Promise<KeylessGrant | null> {
  const entitlements = await db.entitlement.findMany({
    where: { customerId, status: "ACTIVE", startsAt: { lte: now }, product: { accessModes: { has: mode } } },
    select: {
      status: true,
      startsAt: true,
      expiresAt: true,
      product: {
        select: {
          gracePeriodDays: true,
          pullTag: true,
          repositories: { select: { accountId: true, region: true, name: true, taggedFor: true }, orderBy: { name: "asc" } },
        },
      },
    },
  });
  const live = entitlements.filter((e) => grantsAccess(e, e.product.gracePeriodDays, now));
  if (live.length === 0) return null;
  const account = await portalAccount();
  const productTags = new Set<string>();
  const repositoryArns = new Set<string>();
  const regions = new Set<string>();
  for (const { product } of live) {
    for (const repository of product.repositories.filter((r) => r.accountId === account.accountId)) {
      regions.add(repository.region);
      const tag = productTagOn({ taggedFor: repository.taggedFor, product });
      if (tag) productTags.add(tag);
      else repositoryArns.add(repositoryArn(repository, account.partition));
    }
  }
  return {
    grant: { productTags: [...productTags].sort(), repositoryArns: [...repositoryArns].sort() },
    partition: account.partition,
    registries: [...regions].sort().map((region) => ({ region, host: registryHost(account.accountId, region) })),
  };
}
