import { accountRootArn } from "@/lib/aws/iam";
import type { AwsAccount } from "@/lib/aws/partition";
import type { VendorUsers } from "@/lib/aws/pull-policy";
import { env } from "@/lib/env";

/**
 * The users a repository in another account than the portal's trusts: Pullgate's customer users,
 * by their path in the portal's account. Null for a repository of the portal's own account.
 */
export function vendorUsersFor(repo: { accountId: string }, home: AwsAccount): VendorUsers | null {
  if (repo.accountId === home.accountId) return null;
  return { accountRootArn: accountRootArn(home), userArnPattern: `arn:${home.partition}:iam::${home.accountId}:user${env().PULLGATE_IAM_PATH}*` };
}
