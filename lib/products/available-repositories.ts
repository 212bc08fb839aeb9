import { describeRepositories } from "@/lib/aws/ecr";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** The regions admins pick repositories from: PULLGATE_ECR_REGIONS, else the portal's own region. */
export function ecrRegions(): string[] {
  const configured = env().PULLGATE_ECR_REGIONS;
  return configured.length > 0 ? configured : [env().AWS_REGION];
}

/** The accounts admins pick repositories from: the portal's own first, then PULLGATE_REGISTRY_ACCOUNTS. */
export async function registryAccounts(): Promise<string[]> {
  const { accountId } = await portalAccount();
  return [...new Set([accountId, ...env().PULLGATE_REGISTRY_ACCOUNTS])];
}

export type RepositoryChoice = { name: string; uri: string; attachedTo: string | null };

/**
 * An account's actual repositories in a region, as DescribeRepositories lists them, each with
 * the product it already belongs to (a repository serves one product). Without `accountId`, the
 * portal's own account.
 */
export async function availableRepositories(region: string, accountId?: string): Promise<RepositoryChoice[]> {
  const remote = await describeRepositories(region, undefined, accountId);
  const attached = await db.repository.findMany({
    where: { region, accountId: { in: [...new Set(remote.map((r) => r.accountId))] }, name: { in: remote.map((r) => r.name) } },
    select: { accountId: true, name: true, product: { select: { name: true } } },
  });
  const owner = new Map(attached.map((r) => [`${r.accountId}/${r.name}`, r.product.name]));
  return remote
    .map((r) => ({ name: r.name, uri: r.uri, attachedTo: owner.get(`${r.accountId}/${r.name}`) ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
