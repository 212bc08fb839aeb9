import { registryHost, repositoryArn } from "@/lib/aws/ecr";
import type { InlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import { productTagOn } from "./product-tag";

/** The ways to pull that give the customer no AWS identity of its own to name in a repository policy. */
export const KEYLESS_MODES: AccessMode[] = ["BROKERED_TOKEN", "OIDC_FEDERATION"];

export type KeylessGrant = { grant: InlinePullGrant; partition: string; registries: { region: string; host: string }[] };

/**
 * What a keyless principal of the customer (a broker session, its workload role) may pull now
 * through `mode`: the products that offer it, as product tags, and repositories not tagged yet by
 * ARN; with the registries they live in, in the portal's account and the vendor's others (whose
 * repository policies trust these principals: vendor-users.ts). Null when no entitlement that
 * offers the mode grants access now.
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
  const registries = new Map<string, { region: string; host: string }>();
  for (const { product } of live) {
    for (const repository of product.repositories) {
      const host = registryHost(repository.accountId, repository.region);
      registries.set(host, { region: repository.region, host });
      const tag = productTagOn({ taggedFor: repository.taggedFor, product });
      if (tag) productTags.add(tag);
      else repositoryArns.add(repositoryArn(repository, account.partition));
    }
  }
  return {
    grant: { productTags: [...productTags].sort(), repositoryArns: [...repositoryArns].sort() },
    partition: account.partition,
    registries: [...registries.values()].sort((a, b) => a.host.localeCompare(b.host)),
  };
}
