import { isAwsError } from "@/lib/aws/aws-error";
import { getRepositoryPolicy, getRepositoryTags, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { accountRootArn } from "@/lib/aws/iam";
import { portalAccount } from "@/lib/aws/sts";
import { readRolePolicies, readUserPolicies } from "@/lib/aws/user-policies";
import { workloadRoleName } from "@/lib/aws/workload-role";
import { customerSidePolicy } from "@/lib/customers/cross-account-instructions";
import { ownAccountRepositories } from "@/lib/customers/own-account-repositories";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { GrantStrategy } from "@/lib/generated/prisma/enums";
import { evaluatePullAccess, type PolicySet } from "@/lib/policy-evaluation";

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
/** A customer's own AWS account, judged on the repository policies alone (its own IAM is the customer's). */
export type AccountAccess = { accountId: string; allowed: boolean; repositories: RepositoryAccess[]; proven: boolean; note?: string };
/** The customer's workload role (OIDC federation), judged on its own policies like the IAM user. */
export type WorkloadRoleAccess = { arn: string; allowed: boolean; repositories: RepositoryAccess[]; note?: string };
/**
 * `repositories` are the customer's IAM user's answers; `allowed` is true when the user, an own
 * account or the workload role can pull. `workloadRole` is null when the customer has none.
 */
export type PullAccess = {
  allowed: boolean;
  reason: string;
  principal: Principal | null;
  repositories: RepositoryAccess[];
  accounts: AccountAccess[];
  workloadRole: WorkloadRoleAccess | null;
};

/**
 * "Can this customer pull this product now?", answered from what AWS holds (the identity policies
 * and boundaries of the user and the workload role, each repository's policy) by the independent
 * evaluator, never from the database's idea of what was written. AWS failures other than a
 * missing user, role or repository are thrown as AwsError: without the policies there is no answer.
 */
export async function checkPullAccess(customerId: string, productId: string): Promise<PullAccess> {
  const product = await db.product.findUnique({ where: { id: productId }, include: { repositories: { orderBy: { name: "asc" } } } });
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  const [identity, ownAccounts, customer, { accountId: portalAccountId, partition }] = await Promise.all([
    db.awsIdentity.findUnique({ where: { liveFor: customerId } }),
    db.customerAccount.findMany({ where: { liveFor: customerId }, orderBy: { createdAt: "asc" }, select: { accountId: true, provenAt: true } }),
    db.customer.findUnique({ where: { id: customerId }, select: { workloadRoleArn: true } }),
    portalAccount(),
  ]);
  const policies = new Map<string, Awaited<ReturnType<typeof readRepository>>>();
  for (const repo of product.repositories) policies.set(repo.id, await readRepository(repo, partition));

  const answer = (repo: (typeof product.repositories)[number], allowed: boolean, reason: string): RepositoryAccess => ({
    repositoryId: repo.id,
    repository: repo.name,
    accountId: repo.accountId,
    region: repo.region,
    strategy: repo.strategy,
    allowed,
    reason,
  });
  const pullsAll = (repositories: RepositoryAccess[]) => repositories.length > 0 && repositories.every((r) => r.allowed);
  /** One principal's answer per repository, from the repository's policy and the principal's own. */
  const judge = (request: { principalArn: string; principalAccountId: string }, own: PolicySet["identity"], boundary?: PolicySet["boundary"]) =>
    product.repositories.map((repo) => {
      const policy = policies.get(repo.id)!;
      if (!policy.found) return answer(repo, false, `The repository does not exist in AWS (account ${repo.accountId}, ${repo.region})`);
      const decision = evaluatePullAccess(
        { ...request, resourceArn: repositoryArn(repo, partition), resourceAccountId: repo.accountId, resourceTags: policy.tags },
        { identity: own, boundary, resource: policy.text ? { name: "repository policy", document: policy.text } : undefined },
      );
      return answer(repo, decision.allowed, decision.reason);
    });

  // Inside its own account the customer decides who may pull; it is taken to have attached the
  // policy its pull instructions give, so that the vendor's side (the repository policy) is judged.
  const customerSide = { name: "the policy the pull instructions give the account", document: customerSidePolicy(await ownAccountRepositories(customerId), partition) };
  const accounts: AccountAccess[] = ownAccounts.map(({ accountId, provenAt }) => {
    const repositories = judge({ principalArn: accountRootArn({ accountId, partition }), principalAccountId: accountId }, [customerSide]);
    const allowed = pullsAll(repositories);
    // An unproven account keeps the grants it had and is granted nothing new until proven.
    const note = provenAt ? undefined : "Unproven: the customer has not proven it controls this account, so it gets no new grant until it does";
    return { accountId, allowed, repositories, proven: Boolean(provenAt), ...(note ? { note } : {}) };
  });
  const denied = (reason: string) => product.repositories.map((r) => answer(r, false, reason));

  // The role lives in the portal's account like the IAM user and is judged like it; it is given
  // only the products that offer federation, so for another product it does not count.
  const judgeWorkloadRole = async (arn: string): Promise<WorkloadRoleAccess> => {
    if (!product.accessModes.includes("OIDC_FEDERATION")) {
      return { arn, allowed: false, repositories: [], note: "The product does not offer OIDC federation, so the workload role is not given it" };
    }
    const rolePolicies = await readRolePolicies(workloadRoleName(customerId));
    if (!rolePolicies) {
      const note = "The role does not exist in AWS";
      return { arn, allowed: false, repositories: denied(note), note };
    }
    const repositories = judge({ principalArn: arn, principalAccountId: portalAccountId }, rolePolicies.identity, rolePolicies.boundary ?? undefined);
    return { arn, allowed: pullsAll(repositories), repositories };
  };
  const workloadRole = customer?.workloadRoleArn ? await judgeWorkloadRole(customer.workloadRoleArn) : null;

  // Another way to pull every repository makes the answer yes, whatever the IAM user can do.
  const viaAccounts = accounts.filter((a) => a.allowed).map((a) => a.accountId);
  const alternatives = [
    ...(viaAccounts.length > 0 ? [`the customer's own account ${viaAccounts.join(", ")}`] : []),
    ...(workloadRole?.allowed ? [`its workload role ${workloadRole.arn}`] : []),
  ];
  const withAlternatives = (access: Omit<PullAccess, "accounts" | "workloadRole">): PullAccess => {
    const all = { ...access, accounts, workloadRole };
    if (access.allowed || alternatives.length === 0) return all;
    return { ...all, allowed: true, reason: `${access.reason}; ${alternatives.join(" and ")} can pull every repository` };
  };
  const denyAll = (reason: string) => withAlternatives({ allowed: false, reason, principal: null, repositories: denied(reason) });
  if (!identity) return denyAll("The customer has no IAM user");
  const userPolicies = await readUserPolicies(identity.userName);
  if (!userPolicies) return denyAll(`The IAM user ${identity.userName} does not exist in AWS`);

  const repositories = judge({ principalArn: identity.arn, principalAccountId: identity.accountId }, userPolicies.identity, userPolicies.boundary ?? undefined);
  const allowed = pullsAll(repositories);
  const reason =
    repositories.length === 0
      ? "The product has no repositories"
      : allowed
        ? "Every repository of the product allows the pull"
        : `No pull from ${repositories.filter((r) => !r.allowed).map((r) => r.repository).join(", ")}`;
  const principal = {
    arn: identity.arn,
    identityPolicies: userPolicies.identity.map((p) => p.name),
    boundary: userPolicies.boundary?.name ?? null,
  };
  return withAlternatives({ allowed, reason, principal, repositories });
}

/**
 * The repository's policy and its tags (an identity policy may grant by tag). A repository
 * deleted in AWS is an answer (nobody pulls from it), not a failure of the check.
 */
async function readRepository(repo: RepositoryRef, partition: string): Promise<{ found: false } | { found: true; text: string | null; tags: Record<string, string> }> {
  try {
    return { found: true, text: await getRepositoryPolicy(repo), tags: await getRepositoryTags(repo, partition) };
  } catch (error) {
    if (isAwsError(error, "RepositoryNotFoundException")) return { found: false };
    throw error;
  }
}
