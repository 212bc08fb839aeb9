import { isAwsError } from "@/lib/aws/aws-error";
import { getRepositoryPolicy, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { readUserPolicies } from "@/lib/aws/user-policies";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { GrantStrategy } from "@/lib/generated/prisma/enums";
import { evaluatePullAccess } from "@/lib/policy-evaluation";

export type RepositoryAccess = {
  repositoryId: string;
  repository: string;
  accountId: string;
  region: string;
  strategy: GrantStrategy;
  allowed: boolean;
  reason: string;
};
/** The IAM user the answer is about and the policies read from it, so a denial shows where an allow was looked for. */
export type Principal = { arn: string; identityPolicies: string[]; boundary: string | null };
export type PullAccess = { allowed: boolean; reason: string; principal: Principal | null; repositories: RepositoryAccess[] };

/**
 * "Can this customer pull this product now?", answered from what AWS holds (the user's identity
 * policies and boundary, each repository's policy) by the independent evaluator, never from the
 * database's idea of what was written. AWS failures other than a missing user or repository are
 * thrown as AwsError: without the policies there is no answer.
 */
export async function checkPullAccess(customerId: string, productId: string): Promise<PullAccess> {
  const product = await db.product.findUnique({ where: { id: productId }, include: { repositories: { orderBy: { name: "asc" } } } });
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  const identity = await db.awsIdentity.findUnique({ where: { liveFor: customerId } });
  const answer = (repo: (typeof product.repositories)[number], allowed: boolean, reason: string): RepositoryAccess => ({
    repositoryId: repo.id,
    repository: repo.name,
    accountId: repo.accountId,
    region: repo.region,
    strategy: repo.strategy,
    allowed,
    reason,
  });
  const denyAll = (reason: string): PullAccess => ({
    allowed: false,
    reason,
    principal: null,
    repositories: product.repositories.map((r) => answer(r, false, reason)),
  });
  if (!identity) return denyAll("The customer has no IAM user");
  const policies = await readUserPolicies(identity.userName);
  if (!policies) return denyAll(`The IAM user ${identity.userName} does not exist in AWS`);

  const repositories: RepositoryAccess[] = [];
  for (const repo of product.repositories) {
    const policy = await readRepositoryPolicy(repo);
    if (!policy.found) {
      repositories.push(answer(repo, false, `The repository does not exist in AWS (account ${repo.accountId}, ${repo.region})`));
      continue;
    }
    const decision = evaluatePullAccess(
      { principalArn: identity.arn, principalAccountId: identity.accountId, resourceArn: repositoryArn(repo), resourceAccountId: repo.accountId },
      {
        identity: policies.identity,
        boundary: policies.boundary ?? undefined,
        resource: policy.text ? { name: "repository policy", document: policy.text } : undefined,
      },
    );
    repositories.push(answer(repo, decision.allowed, decision.reason));
  }
  const allowed = repositories.length > 0 && repositories.every((r) => r.allowed);
  const reason =
    repositories.length === 0
      ? "The product has no repositories"
      : allowed
        ? "Every repository of the product allows the pull"
        : `No pull from ${repositories.filter((r) => !r.allowed).map((r) => r.repository).join(", ")}`;
  const principal = {
    arn: identity.arn,
    identityPolicies: policies.identity.map((p) => p.name),
    boundary: policies.boundary?.name ?? null,
  };
  return { allowed, reason, principal, repositories };
}

/** A repository deleted in AWS is an answer (nobody pulls from it), not a failure of the check. */
async function readRepositoryPolicy(repo: RepositoryRef): Promise<{ found: false } | { found: true; text: string | null }> {
  try {
    return { found: true, text: await getRepositoryPolicy(repo) };
  } catch (error) {
    if (isAwsError(error, "RepositoryNotFoundException")) return { found: false };
    throw error;
  }
}
