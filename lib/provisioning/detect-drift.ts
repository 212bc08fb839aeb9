import { isAwsError } from "@/lib/aws/aws-error";
import { getRepositoryPolicy, getRepositoryTag } from "@/lib/aws/ecr";
import { getUser, listAccessKeyIds, listUserNames } from "@/lib/aws/iam";
import { INLINE_PULL_POLICY_NAME, readInlinePullPolicy, type InlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { PRODUCT_TAG_KEY, pullPrincipals, samePolicy, withVendorUsers } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { detectWorkloadRoleDrift, type WorkloadRoleDrift } from "./converge-workload-role";
import { productTagOf, productTagOn } from "./product-tag";
import { wantedInlineGrant } from "./sync-inline-pull-policy";
import { vendorUsersFor } from "./vendor-users";

export type DriftFinding =
  | { kind: "unexpected-principal"; repository: string; repositoryId: string; principal: string }
  | { kind: "stale-principal"; repository: string; repositoryId: string; principal: string }
  | { kind: "missing-principal"; repository: string; repositoryId: string; principal: string; customerId: string }
  | { kind: "missing-repository" | "unmarked-repository"; repository: string; repositoryId: string }
  | { kind: "missing-product-tag"; repository: string; repositoryId: string; expected: string; actual: string | null }
  | { kind: "missing-vendor-trust"; repository: string; repositoryId: string }
  | { kind: "orphan-user"; userName: string }
  | { kind: "foreign-user"; userName: string }
  | { kind: "missing-user"; userName: string; customerId: string; identityId: string }
  | { kind: "unknown-access-key"; userName: string; accessKeyId: string; customerId: string }
  | { kind: "inline-policy-drift"; userName: string; customerId: string; missing: string[]; unexpected: string[] }
  | { kind: "unknown-inline-policy"; userName: string; customerId: string; policyName: string }
  | { kind: "workload-role-drift"; roleName: string; customerId: string; problem: WorkloadRoleDrift["problem"] };

// AWS rewrites a deleted user's ARN to its unique id (AIDA...) inside resource policies.
const UNIQUE_ID = /^AIDA[A-Z0-9]+$/;

/**
 * Compares AWS with the database, read-only: Pullgate's pull statements against the grants that
 * should be applied, the users under Pullgate's IAM path against live identities, and each live
 * user's keys and inline policies against the database, and each workload role against the
 * customer's trusted workloads and products. Statements Pullgate does not own and users outside
 * its path are never looked at.
 */
export async function detectDrift(): Promise<DriftFinding[]> {
  const findings: DriftFinding[] = [];
  const repositories = await db.repository.findMany({
    // Compared with what the last write put there: grants still waiting for their batched write
    // (or never meant for the statement, under the identity-policy strategy) are not drift.
    include: { grants: { where: { applied: true }, select: { principal: true, customerId: true } }, product: { select: { pullTag: true } } },
  });
  const home = await portalAccount();
  const { partition } = home;
  for (const repo of repositories) {
    const label = `${repo.accountId}/${repo.region}/${repo.name}`;
    const policy = await getRepositoryPolicy(repo).catch((error: unknown) => {
      if (isAwsError(error, "RepositoryNotFoundException")) return "missing" as const;
      // The portal may read only the repositories the vendor marked as Pullgate's.
      if (isAwsError(error, "AccessDeniedException")) return "unmarked" as const;
      throw error;
    });
    // Deleted in AWS, or its mark removed, behind Pullgate's back: reported, and the rest of the audit goes on.
    if (policy === "missing" || policy === "unmarked") {
      findings.push({ kind: `${policy}-repository`, repository: label, repositoryId: repo.id });
      continue;
    }
    // Customers' inline policies name the product tag that was confirmed here: without it they cannot pull.
    if (productTagOn(repo)) {
      const actual = await getRepositoryTag(repo, partition, PRODUCT_TAG_KEY);
      if (actual !== productTagOf(repo)) findings.push({ kind: "missing-product-tag", repository: label, repositoryId: repo.id, expected: productTagOf(repo), actual });
    }
    // In another account, customers' users pull only while the policy trusts them.
    const users = vendorUsersFor(repo, home);
    if (users && !samePolicy(policy, withVendorUsers(policy, users))) findings.push({ kind: "missing-vendor-trust", repository: label, repositoryId: repo.id });
    const actual = new Set(pullPrincipals(policy));
    const wanted = new Map(repo.grants.map((g) => [g.principal, g.customerId]));
    for (const principal of actual) {
      if (wanted.has(principal)) continue;
      const kind = UNIQUE_ID.test(principal) ? "stale-principal" : "unexpected-principal";
      findings.push({ kind, repository: label, repositoryId: repo.id, principal });
    }
    for (const [principal, customerId] of wanted) {
      if (!actual.has(principal)) findings.push({ kind: "missing-principal", repository: label, repositoryId: repo.id, principal, customerId });
    }
  }

  const identities = await db.awsIdentity.findMany({
    where: { status: { not: "DELETED" } },
    include: {
      accessKeys: { where: { status: { not: "DELETED" } }, select: { accessKeyId: true } },
      grants: {
        where: { inline: true },
        select: { repository: { select: { accountId: true, region: true, name: true, taggedFor: true, product: { select: { pullTag: true } } } } },
      },
    },
  });
  const live = new Map(identities.map((i) => [i.userName, i]));
  const existing = await listUserNames(env().PULLGATE_IAM_PATH);
  // A user Pullgate made (it has a user id) that IAM no longer has: deleted behind Pullgate's back.
  const present = new Set(existing);
  for (const identity of identities) {
    if (identity.userId && identity.status === "ACTIVE" && !present.has(identity.userName)) {
      findings.push({ kind: "missing-user", userName: identity.userName, customerId: identity.customerId, identityId: identity.id });
    }
  }
  for (const userName of existing) {
    const identity = live.get(userName);
    if (!identity) {
      // Pullgate's own leftover (it carries the mark) is deleted; anyone else's is only reported.
      const user = await getUser(userName);
      if (user) findings.push({ kind: user.managed ? "orphan-user" : "foreign-user", userName });
      continue;
    }
    try {
      const known = new Set(identity.accessKeys.map((k) => k.accessKeyId));
      for (const accessKeyId of await listAccessKeyIds(userName)) {
        if (!known.has(accessKeyId)) findings.push({ kind: "unknown-access-key", userName, accessKeyId, customerId: identity.customerId });
      }
      findings.push(...(await inlinePolicyDrift(identity, partition)));
    } catch (error) {
      // Deleted since it was listed (a revocation finished meanwhile): the next audit sees it as it is.
      if (!isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) throw error;
    }
  }
  for (const drift of await detectWorkloadRoleDrift()) findings.push({ kind: "workload-role-drift", ...drift });
  return findings;
}

type LiveIdentity = { userName: string; customerId: string; grants: { repository: Parameters<typeof wantedInlineGrant>[0][number] }[] };

/** A grant's entries as findings show them: repository ARNs, and product tags as `key=value`. */
const entries = (grant: InlinePullGrant) => [...grant.repositoryArns, ...grant.productTags.map((t) => `${PRODUCT_TAG_KEY}=${t}`)];

/** The user's inline policies against its identity-policy grants: only PullgatePull, granting exactly those repositories. */
async function inlinePolicyDrift({ userName, customerId, grants }: LiveIdentity, partition: string): Promise<DriftFinding[]> {
  const findings: DriftFinding[] = [];
  const { policyNames, grant } = await readInlinePullPolicy(userName);
  for (const policyName of policyNames) {
    if (policyName !== INLINE_PULL_POLICY_NAME) findings.push({ kind: "unknown-inline-policy", userName, customerId, policyName });
  }
  const wanted = entries(wantedInlineGrant(grants.map((g) => g.repository), partition));
  const actual = entries(grant);
  const missing = wanted.filter((e) => !actual.includes(e));
  const unexpected = actual.filter((e) => !wanted.includes(e));
  if (missing.length > 0 || unexpected.length > 0) findings.push({ kind: "inline-policy-drift", userName, customerId, missing, unexpected });
  return findings;
}
