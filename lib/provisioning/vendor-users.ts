import { brokerRoleArn } from "@/lib/aws/broker-role";
import { accountRootArn } from "@/lib/aws/iam";
import type { AwsAccount } from "@/lib/aws/partition";
import type { VendorUsers } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { WORKLOAD_ROLE_PREFIX } from "@/lib/aws/workload-role";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * Pullgate's principals a repository in another account than the portal's trusts: the customer
 * users by their path, the broker role (pull tokens' sessions) and the customers' workload roles,
 * all in the portal's account.
 */
function vendorPrincipals(home: AwsAccount): VendorUsers {
  const { PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME } = env();
  const iam = `arn:${home.partition}:iam::${home.accountId}`;
  return {
    accountRootArn: accountRootArn(home),
    principalArnPatterns: [
      `${iam}:user${PULLGATE_IAM_PATH}*`,
      brokerRoleArn(home, PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME),
      `${iam}:role${PULLGATE_IAM_PATH}${WORKLOAD_ROLE_PREFIX}*`,
    ],
  };
}

/** Null for a repository of the portal's own account, where the principals' own policies grant the pull. */
export function vendorUsersFor(repo: { accountId: string }, home: AwsAccount): VendorUsers | null {
  return repo.accountId === home.accountId ? null : vendorPrincipals(home);
}

/** How `Repository.vendorTrust` records a trust written: its patterns, in order. */
export const vendorTrustKey = (users: VendorUsers | null) => users?.principalArnPatterns.join(" ") ?? null;

/** What `Repository.vendorTrust` must read in another account than the portal's. */
export async function wantedVendorTrust() {
  const home = await portalAccount();
  return { home, key: vendorTrustKey(vendorPrincipals(home))! };
}

/**
 * Of these repositories, those in the vendor's other accounts whose policy does not trust
 * Pullgate's principals as this release names them yet: a keyless principal of the customer
 * cannot pull there until their reconcile writes it.
 */
export async function awaitingVendorTrust(repositoryIds: Set<string>): Promise<string[]> {
  if (repositoryIds.size === 0) return [];
  const { home, key } = await wantedVendorTrust();
  const rows = await db.repository.findMany({
    where: { id: { in: [...repositoryIds] }, accountId: { not: home.accountId }, OR: [{ vendorTrust: null }, { vendorTrust: { not: key } }] },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
