import { getRepositoryPolicy, repositoryArn } from "@/lib/aws/ecr";
import { readUserPolicies } from "@/lib/aws/user-policies";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { evaluatePullAccess } from "@/lib/policy-evaluation";

export type RepositoryAccess = { repositoryId: string; repository: string; allowed: boolean; reason: string };
export type PullAccess = { allowed: boolean; reason: string; repositories: RepositoryAccess[] };

/**
 * "Can this customer pull this product now?", answered from what AWS holds (the user's identity
 * policies and boundary, each repository's policy) by the independent evaluator, never from the
 * database's idea of what was written.
 */
export async function checkPullAccess(customerId: string, productId: string): Promise<PullAccess> {
  const product = await db.product.findUnique({ where: { id: productId }, include: { repositories: { orderBy: { name: "asc" } } } });
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  const identity = await db.awsIdentity.findUnique({ where: { liveFor: customerId } });
  const denyAll = (reason: string): PullAccess => ({
    allowed: false,
    reason,
    repositories: product.repositories.map((r) => ({ repositoryId: r.id, repository: r.name, allowed: false, reason })),
  });
  if (!identity) return denyAll("The customer has no IAM user");
  const policies = await readUserPolicies(identity.userName);
  if (!policies) return denyAll(`The IAM user ${identity.userName} does not exist in AWS`);

  const repositories: RepositoryAccess[] = [];
  for (const repo of product.repositories) {
    const policyText = await getRepositoryPolicy(repo);
    const decision = evaluatePullAccess(
      { principalArn: identity.arn, principalAccountId: identity.accountId, resourceArn: repositoryArn(repo), resourceAccountId: repo.accountId },
      {
        identity: policies.identity,
        boundary: policies.boundary ?? undefined,
        resource: policyText ? { name: "repository policy", document: policyText } : undefined,
      },
    );
    repositories.push({ repositoryId: repo.id, repository: repo.name, allowed: decision.allowed, reason: decision.reason });
  }
  const allowed = repositories.length > 0 && repositories.every((r) => r.allowed);
  const reason =
    repositories.length === 0
      ? "The product has no repositories"
      : allowed
        ? "Every repository of the product allows the pull"
        : `No pull from ${repositories.filter((r) => !r.allowed).map((r) => r.repository).join(", ")}`;
  return { allowed, reason, repositories };
}
