import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getRepositoryPolicy, putRepositoryPolicy } from "@/lib/aws/ecr";
import type { AwsAccount } from "@/lib/aws/partition";
import {
  assertPolicyFits,
  pullPrincipals,
  REPOSITORY_POLICY_MAX_CHARS,
  samePolicy,
  withPullPrincipals,
  withVendorUsers,
  type VendorUsers,
} from "@/lib/aws/pull-policy";
import { vendorTrustKey, vendorUsersFor } from "./vendor-users";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { GrantStrategy } from "@/lib/generated/prisma/enums";
import type { Repository } from "@/lib/generated/prisma/client";
import { log, withLogContext } from "@/lib/log";
import { withLock } from "@/lib/locks/advisory-lock";
import { awaitsInlinePolicy, awaitsRepositoryWrite, belongsInStatement } from "./grant-placement";
import { KEYLESS_MODES } from "./keyless-grant";
import { markFailed, type ReadEntitlement } from "./mark-entitlements";
import { productTagOn, type TaggableRepository } from "./product-tag";
import { tagRepositoryWithProduct } from "./tag-repository-product";
import { writePullStatement, type PrincipalRefusal } from "./write-pull-statement";

type Grant = {
  id: string;
  principal: string;
  desired: boolean;
  applied: boolean;
  inline: boolean;
  customerId: string;
  customerAccountId: string | null;
  updatedAt: Date;
};
/** A customer whose principal AWS refused in this repository's policy, and why. */
export type RefusedGrant = PrincipalRefusal & { customerId: string };
export type RepositoryReconcile = { customers: string[]; refused: RefusedGrant[] };

/**
 * The repository's half of the reconcile path: Pullgate's pull statement is rewritten to exactly
 * the principals that belong in it, with every pending addition and removal in one write, under a
 * lock, so concurrent writers never lose each other's principals. When the statement would not
 * fit ECR's limit (or the installation asks for it) the repository moves to the identity-policy
 * strategy. A principal AWS refuses is left out and reported in `refused` (its customer's
 * entitlements fail with AWS's reason) while everyone else's change lands. Returns the customers
 * whose reconcile can now move on. Rerunning changes nothing.
 */
export async function reconcileRepository(repositoryId: string, actor: Actor): Promise<RepositoryReconcile> {
  return withLock(`repository:${repositoryId}`, async () => {
    const repo = await db.repository.findUniqueOrThrow({ where: { id: repositoryId }, include: { product: { select: { pullTag: true } } } });
    const grants: Grant[] = await db.repositoryGrant.findMany({ where: { repositoryId } });
    const pending = await waitingEntitlements(grants.filter((g) => awaitsRepositoryWrite(g, repo.strategy)));
    const context = { repositoryId, customerIds: pending.customerIds, entitlementIds: pending.entitlements.map((e) => e.id) };
    return withLogContext(context, async () => {
      try {
        const result = await converge(repo, grants, actor);
        const refusedCustomers = new Set(result.refused.map((r) => r.customerId));
        for (const r of result.refused) {
          const held = pending.entitlements.filter((e) => e.customerId === r.customerId);
          await markFailed(held, `AWS refused ${r.principal} in the policy of ${repo.name}: ${r.reason}`, actor);
        }
        return { customers: result.customers.filter((c) => !refusedCustomers.has(c)), refused: result.refused };
      } catch (error) {
        const message = String((error as Error).message ?? error);
        log().error({ err: error }, "repository reconcile failed");
        await db.repository.update({ where: { id: repo.id }, data: { syncError: message } });
        await markFailed(pending.entitlements, message, actor);
        throw error;
      }
    });
  });
}

async function converge(repo: Repository & TaggableRepository, grants: Grant[], actor: Actor): Promise<RepositoryReconcile> {
  const label = `${repo.accountId}/${repo.region}/${repo.name}`;
  const customers = new Set<string>();
  let strategy = repo.strategy;
  const home = await portalAccount();
  // In another account, the trust of the portal account's users goes in before the repository is
  // tagged with its product below, and so before any customer's inline policy relies on it.
  const users = vendorUsersFor(repo, home);
  const current = await trustVendorUsers(repo, await getRepositoryPolicy(repo), users, actor);
  const trust = vendorTrustKey(users);
  // Keyless customers of the product wait for this trust (their principals are named in no grant).
  if (users && repo.vendorTrust !== trust) for (const c of await keylessCustomersWaiting(repo.productId)) customers.add(c);
  const statementFor = (s: GrantStrategy) =>
    withPullPrincipals(current, grants.filter((g) => belongsInStatement(g, s)).map((g) => g.principal));
  let next = statementFor(strategy);

  const reason = strategy === "REPOSITORY_POLICY" ? identityPolicyReason(repo, home, next) : null;
  if (reason) {
    strategy = "IDENTITY_POLICY";
    next = statementFor(strategy);
    await db.repository.update({ where: { id: repo.id }, data: { strategy, strategyReason: reason } });
    await recordAuditEvent(db, { actor, action: "repository.strategy_changed", data: { repository: label, strategy, reason } });
  }
  // Customers who were waiting for the statement now need their inline policy instead.
  for (const g of grants) if (awaitsInlinePolicy(g, strategy)) customers.add(g.customerId);
  if (strategy === "IDENTITY_POLICY" && !productTagOn(repo)) {
    await tagRepositoryWithProduct(repo, actor);
    // Their inline policies may now name the product instead of this repository's ARN.
    for (const g of grants) if (g.desired && g.inline) customers.add(g.customerId);
  }

  // Accounts are named in the policy under either strategy: when even they do not fit, the
  // additions that do not are refused with the reason, and everything else lands.
  const full = next && next.length > REPOSITORY_POLICY_MAX_CHARS ? admitWhatFits(current, grants.filter((g) => belongsInStatement(g, strategy))) : null;
  if (full) next = full.next;

  const now = new Date();
  let written = current;
  const refusedOf = (refusals: PrincipalRefusal[]) =>
    refusals.flatMap((r) => grants.filter((g) => g.principal === r.principal && g.desired).map((g) => ({ ...r, customerId: g.customerId })));
  let refused: RefusedGrant[] = refusedOf(full?.left ?? []);
  if (!samePolicy(current, next)) {
    if (next) assertPolicyFits(next);
    const outcome = await writePullStatement(repo, current, pullPrincipals(next));
    written = outcome.policy;
    refused = [...refused, ...refusedOf(outcome.refused)];
    const before = new Set(pullPrincipals(current));
    const after = new Set(pullPrincipals(written));
    await db.repository.update({ where: { id: repo.id }, data: { policyWrittenAt: now } });
    await recordAuditEvent(db, {
      actor,
      action: "aws.repository_policy.updated",
      data: {
        repository: label,
        added: [...after].filter((p) => !before.has(p)),
        removed: [...before].filter((p) => !after.has(p)),
        ...(refused.length ? { refused: refused.map(({ principal, reason }) => ({ principal, reason })) } : {}),
      },
    });
  }
  const refusedPrincipals = new Set(refused.map((r) => r.principal));
  for (const g of grants) {
    const applied = belongsInStatement(g, strategy) && !refusedPrincipals.has(g.principal);
    if (applied === g.applied) continue;
    // A grant whose desire changed since we read it stays as it is; its writer reconciles again.
    const updated = await db.repositoryGrant.updateMany({
      where: { id: g.id, desired: g.desired, inline: g.inline },
      data: { applied, appliedAt: now },
    });
    if (updated.count > 0) customers.add(g.customerId);
  }
  await db.repository.update({ where: { id: repo.id }, data: { syncedAt: now, syncError: null, policyChars: written?.length ?? 0, writeDueAt: null, vendorTrust: trust } });
  return { customers: [...customers], refused };
}

/**
 * The statement with every principal already in it and, oldest request first, each addition
 * that still fits ECR's limit; the additions left out, with the reason. Under the identity-policy
 * strategy only customers' own accounts (and users not yet moved out) are named here.
 */
function admitWhatFits(current: string | null, belonging: Grant[]): { next: string | null; left: PrincipalRefusal[] } {
  const admitted = belonging.filter((g) => g.applied).map((g) => g.principal);
  const left: PrincipalRefusal[] = [];
  const additions = belonging.filter((g) => !g.applied).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  for (const { principal } of additions) {
    if (admitted.includes(principal)) continue;
    const trial = withPullPrincipals(current, [...admitted, principal]);
    if (trial !== null && trial.length <= REPOSITORY_POLICY_MAX_CHARS) admitted.push(principal);
    else left.push({ principal, reason: `the repository policy is full: naming it would pass the ${REPOSITORY_POLICY_MAX_CHARS.toLocaleString("en-US")} characters ECR allows` });
  }
  return { next: withPullPrincipals(current, admitted), left };
}

/** Puts the trust of the portal account's users into the policy, or takes it out, when it differs; returns the policy as it now is. */
async function trustVendorUsers(repo: Repository, current: string | null, users: VendorUsers | null, actor: Actor): Promise<string | null> {
  const next = withVendorUsers(current, users);
  if (samePolicy(current, next)) return current;
  if (next) assertPolicyFits(next);
  // It names the portal's account alone, which AWS always accepts: nobody's principal can fail it.
  await putRepositoryPolicy(repo, next, { waitForNewPrincipals: false });
  await recordAuditEvent(db, {
    actor,
    action: "aws.repository_policy.updated",
    data: { repository: `${repo.accountId}/${repo.region}/${repo.name}`, ...(users ? { trusted: users.principalArnPatterns } : { untrusted: true }) },
  });
  return next;
}

/** Why the repository should leave the repository-policy strategy, or null when it should not. */
function identityPolicyReason(repo: { accountId: string }, home: AwsAccount, next: string | null): string | null {
  if (repo.accountId !== home.accountId) {
    return `The repository is in account ${repo.accountId}, the customers' users in ${home.accountId}: their own policies grant the pulls, and the repository policy trusts them once`;
  }
  if (env().PULLGATE_GRANT_STRATEGY === "identity-policy") return "The installation grants every repository through identity policies";
  if (next && next.length > REPOSITORY_POLICY_MAX_CHARS) {
    return `The pull statement would make the repository policy ${next.length} characters; ECR allows ${REPOSITORY_POLICY_MAX_CHARS}`;
  }
  return null;
}

/** Customers with unsynced entitlements to the product through a keyless way to pull. */
async function keylessCustomersWaiting(productId: string): Promise<string[]> {
  const rows = await db.entitlement.findMany({
    where: { productId, syncStatus: { not: "SYNCED" }, product: { accessModes: { hasSome: KEYLESS_MODES } } },
    select: { customerId: true },
    distinct: ["customerId"],
  });
  return rows.map((r) => r.customerId);
}

/** The unsynced entitlements of the customers whose grants wait for this repository's write. */
async function waitingEntitlements(grants: Grant[]) {
  const customerIds = [...new Set(grants.map((g) => g.customerId))];
  const entitlements: ReadEntitlement[] =
    customerIds.length === 0
      ? []
      : await db.entitlement.findMany({
          where: { customerId: { in: customerIds }, syncStatus: { not: "SYNCED" } },
          select: { id: true, customerId: true, updatedAt: true },
        });
  return { customerIds, entitlements };
}
