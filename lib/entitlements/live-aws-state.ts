import { getRepositoryPolicy, getRepositoryTag, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { accessKeyLastUsed, getRole, getUser, listAccessKeys } from "@/lib/aws/iam";
import { readInlinePullPolicy } from "@/lib/aws/identity-pull-policy";
import { PRODUCT_TAG_KEY, pullPrincipals } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { workloadRoleName } from "@/lib/aws/workload-role";

export type LiveKey = { accessKeyId: string; active: boolean; createdAt: Date | null; lastUsedAt: Date | null; lastUsedService: string | null };
export type LiveRepository = { id: string; name: string; region: string; inStatement: boolean; inInlinePolicy: boolean };
export type LiveAwsState = {
  user: { arn: string; userId: string } | null;
  keys: LiveKey[];
  repositories: LiveRepository[];
  /** The customer's workload role as IAM holds it, whatever the database records. */
  workloadRole: { arn: string } | null;
};
/** A repository to read, by the address AWS knows it under and the id the database does. */
export type LiveAwsRepository = RepositoryRef & { id: string };

/**
 * What AWS holds for a customer right now, read fresh for the admin to set beside the desired
 * state: the IAM user, its keys with their last use, and for each repository whether the user
 * is in Pullgate's pull statement or granted by its inline pull policy (by ARN, or by the
 * product tag the repository carries now). And the customer's workload role, looked up by its
 * name so that one left in IAM without a record shows too.
 */
export async function readLiveAwsState(userName: string | null, repositories: LiveAwsRepository[], customerId: string): Promise<LiveAwsState> {
  const [user, role] = await Promise.all([userName ? getUser(userName) : null, getRole(workloadRoleName(customerId))]);
  const workloadRole = role && { arn: role.arn };
  if (!user) return { user: null, keys: [], repositories: repositories.map((r) => ({ ...pick(r), inStatement: false, inInlinePolicy: false })), workloadRole };

  const keys = await Promise.all(
    (await listAccessKeys(user.userName)).map(async (k) => {
      const use = await accessKeyLastUsed(k.accessKeyId);
      return { ...k, lastUsedAt: use.lastUsedAt, lastUsedService: use.service };
    }),
  );
  const { grant } = await readInlinePullPolicy(user.userName);
  const { partition } = await portalAccount();
  const viaTag = async (r: RepositoryRef) =>
    grant.productTags.length > 0 && grant.productTags.includes((await getRepositoryTag(r, partition, PRODUCT_TAG_KEY)) ?? "");
  const live = await Promise.all(
    repositories.map(async (r) => ({
      ...pick(r),
      inStatement: pullPrincipals(await getRepositoryPolicy(r)).includes(user.arn),
      inInlinePolicy: grant.repositoryArns.includes(repositoryArn(r, partition)) || (await viaTag(r)),
    })),
  );
  return { user: { arn: user.arn, userId: user.userId }, keys, repositories: live, workloadRole };
}

const pick = (r: { id: string; name: string; region: string }) => ({ id: r.id, name: r.name, region: r.region });
