import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import { accountRootArn } from "@/lib/aws/iam";
import { portalAccount } from "@/lib/aws/sts";
import { log, withLogContext } from "@/lib/log";
import { withLock } from "@/lib/locks/advisory-lock";
import { settleBrokeredAccess } from "./broker-denies";
import { convergeWorkloadRole } from "./converge-workload-role";
import { deleteIdentity } from "./delete-identity";
import { retirementDue } from "./ensure-access-key";
import { ensureIdentity } from "./ensure-identity";
import { awaitsInlinePolicy, awaitsRepositoryWrite } from "./grant-placement";
import { KEYLESS_MODES } from "./keyless-grant";
import { markFailed, markSynced } from "./mark-entitlements";
import { productTagOn } from "./product-tag";
import { syncInlinePullPolicy } from "./sync-inline-pull-policy";
import { awaitingVendorTrust } from "./vendor-users";

/**
 * `waitingOn` lists repositories whose policy must still change for this customer; once they are
 * written (in batches, by their own reconcile), reconciling the customer again finishes the job.
 */
export type ReconcileResult = { ok: true; waitingOn: string[] } | { ok: false; error: string };

/** `recheckIdentity` checks the user, policy and keys in AWS even when the database says done (drift repair). */
export type ReconcileOptions = { recheckIdentity?: boolean };

type EntitlementState = Awaited<ReturnType<typeof readEntitlements>>[number];

const repositoryFields = { id: true, accountId: true, region: true, name: true, strategy: true, taggedFor: true, product: { select: { pullTag: true } } } as const;

function readEntitlements(customerId: string) {
  return db.entitlement.findMany({
    where: { customerId },
    select: {
      id: true,
      customerId: true,
      status: true,
      startsAt: true,
      expiresAt: true,
      syncStatus: true,
      updatedAt: true,
      product: { select: { gracePeriodDays: true, accessModes: true, repositories: { select: { id: true } } } },
    },
  });
}

/**
 * The customer's half of the one path from desired state to AWS. Grant, revoke, expiry, new key
 * and retry change the database, then land here. It converges the customer's own IAM objects:
 * user, login policy, key and inline pull policy where access is wanted; it records which
 * repositories the principal should be in, and reports those whose policy has yet to catch up.
 * With nothing wanted or suspended and the principal out of every repository policy, it deletes the user.
 * Idempotent and resumable: each step checks AWS before it acts.
 */
export async function reconcileCustomer(customerId: string, actor: Actor, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  return withLock(`customer:${customerId}`, async () => {
    const entitlements = await readEntitlements(customerId);
    const unsynced = entitlements.filter((e) => e.syncStatus !== "SYNCED");
    return withLogContext({ customerId, entitlementIds: unsynced.map((e) => e.id) }, async () => {
      try {
        const waitingOn = await converge(customerId, entitlements, actor, options);
        await settleBrokeredAccess(customerId, actor);
        if (waitingOn.length === 0) {
          await markSynced(unsynced);
          log().info("customer converged");
        }
        return { ok: true, waitingOn };
      } catch (error) {
        const message = String((error as Error)?.message ?? error);
        log().error({ err: error }, "customer reconcile failed");
        await markFailed(unsynced, message, actor);
        return { ok: false, error: message };
      }
    });
  });
}

async function converge(customerId: string, entitlements: EntitlementState[], actor: Actor, options: ReconcileOptions): Promise<string[]> {
  const now = new Date();
  // Each way to pull gets the repositories of the products that offer it.
  const offering = (mode: AccessMode) => entitlements.filter((e) => e.product.accessModes.includes(mode));
  const wantedBy = (mode: AccessMode) =>
    new Set(offering(mode).filter((e) => grantsAccess(e, e.product.gracePeriodDays, now)).flatMap((e) => e.product.repositories.map((r) => r.id)));
  const { keyAccess, accounts } = await db.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { keyAccess: true, accounts: { select: { id: true, accountId: true, liveFor: true, provenAt: true } } },
  });
  const accountWaits = await syncAccountGrants(customerId, accounts, wantedBy("OWN_ACCOUNT"));
  // A customer that pulls with its own accounts or pull tokens only has no IAM user: nothing is
  // wanted of it. A suspended entitlement keeps the user and its keys, so resuming needs no new credentials.
  const wanted = keyAccess ? wantedBy("IAM_USER_KEY") : new Set<string>();
  const keepUser = keyAccess && (wanted.size > 0 || offering("IAM_USER_KEY").some((e) => e.status === "SUSPENDED"));
  const userWaits = await convergeUser(customerId, wanted, keepUser, actor, options);
  await convergeWorkloadRole(customerId, actor, now, { recheck: options.recheckIdentity });
  // Pull tokens and workload roles reach another account's repository once its policy trusts them.
  const trustWaits = await awaitingVendorTrust(new Set(KEYLESS_MODES.flatMap((mode) => [...wantedBy(mode)])));
  return [...new Set([...accountWaits, ...userWaits, ...trustWaits])];
}

/**
 * The customer's IAM user: created with its key where access is wanted, named in the wanted
 * repositories' grants, and deleted once nothing is wanted and no repository policy names it.
 */
async function convergeUser(customerId: string, wanted: Set<string>, keepUser: boolean, actor: Actor, options: ReconcileOptions) {
  let identity = await db.awsIdentity.findUnique({ where: { liveFor: customerId } });
  if (wanted.size > 0 && (options.recheckIdentity || !(await identityComplete(identity)))) identity = await ensureIdentity(customerId, identity, actor);
  if (!identity) return [];

  for (const repositoryId of wanted) {
    await db.repositoryGrant.upsert({
      where: { repositoryId_identityId: { repositoryId, identityId: identity.id } },
      create: { repositoryId, identityId: identity.id, customerId, principal: identity.arn, desired: true },
      update: { desired: true, principal: identity.arn },
    });
  }
  await db.repositoryGrant.updateMany({
    where: { identityId: identity.id, repositoryId: { notIn: [...wanted] }, desired: true },
    data: { desired: false },
  });

  const { grants, untagged } = await syncInlineGrants(identity, [...wanted], actor, options);
  const waitingOn = [...grants.filter((g) => awaitsRepositoryWrite(g, g.repository.strategy)).map((g) => g.repositoryId), ...untagged];
  if (waitingOn.length > 0) return waitingOn;
  // Revocation order: out of every repository policy first (checked just above), then the user.
  if (!keepUser) await deleteIdentity(identity, actor);
  return [];
}

/**
 * Grants every registered account of the customer the wanted repositories, and withdraws them
 * from removed accounts. These principals live only in repository policies; returns the
 * repositories whose policy has yet to catch up.
 */
async function syncAccountGrants(
  customerId: string,
  accounts: { id: string; accountId: string; liveFor: string | null; provenAt: Date | null }[],
  wanted: Set<string>,
): Promise<string[]> {
  if (accounts.length === 0) return [];
  // A repository policy can only name accounts of its own partition, the portal's.
  const { partition } = await portalAccount();
  for (const account of accounts) {
    const repositories = account.liveFor ? await grantableRepositories(account, wanted) : [];
    for (const repositoryId of repositories) {
      await db.repositoryGrant.upsert({
        where: { repositoryId_customerAccountId: { repositoryId, customerAccountId: account.id } },
        create: { repositoryId, customerAccountId: account.id, customerId, principal: accountRootArn({ accountId: account.accountId, partition }), desired: true },
        update: { desired: true },
      });
    }
    await db.repositoryGrant.updateMany({
      where: { customerAccountId: account.id, repositoryId: { notIn: repositories }, desired: true },
      data: { desired: false },
    });
  }
  const grants = await db.repositoryGrant.findMany({ where: { customerId, customerAccountId: { not: null } }, select: grantFields });
  return grants.filter((g) => awaitsRepositoryWrite(g, g.repository.strategy)).map((g) => g.repositoryId);
}

/**
 * What an account may be granted of the wanted repositories: all of them once its customer proved
 * control of it; before that (an account registered before proofs existed) only those it is
 * granted already, kept until they end, never a new one: anyone can type another's account id.
 */
async function grantableRepositories(account: { id: string; provenAt: Date | null }, wanted: Set<string>) {
  if (account.provenAt) return [...wanted];
  const held = await db.repositoryGrant.findMany({ where: { customerAccountId: account.id, desired: true, repositoryId: { in: [...wanted] } }, select: { repositoryId: true } });
  return held.map((g) => g.repositoryId);
}

const grantFields = {
  repositoryId: true,
  desired: true,
  applied: true,
  inline: true,
  customerAccountId: true,
  repository: { select: { strategy: true } },
} as const;

/**
 * Gives the user the inline pull policy its identity-policy repositories need, and returns its
 * grants and the repositories it waits on for their product tag. A new grant of a repository
 * not tagged yet waits for the tag (the repository's reconcile puts it on); one the policy
 * already names by ARN keeps it until then, so moving to the tag never leaves a gap. A
 * repository can change strategy while this runs (its reconcile switches it when the statement
 * is full): the grants are read again after the write, and the policy redone if a repository
 * switched in between, so no grant is left with neither statement entry nor policy.
 */
async function syncInlineGrants(
  identity: { id: string; customerId: string; userName: string },
  wanted: string[],
  actor: Actor,
  options: ReconcileOptions,
) {
  for (let attempt = 1; ; attempt++) {
    const repositories = await db.repository.findMany({ where: { id: { in: wanted } }, select: repositoryFields });
    // A principal already in a repository's statement keeps that access until it ends, even
    // after the repository switched strategy: it needs no inline policy (and no IAM write).
    const current = await db.repositoryGrant.findMany({ where: { identityId: identity.id }, select: { repositoryId: true, applied: true, inline: true } });
    const applied = new Set(current.filter((g) => g.applied).map((g) => g.repositoryId));
    const inline = new Set(current.filter((g) => g.inline).map((g) => g.repositoryId));
    const viaIdentity = repositories.filter((r) => r.strategy === "IDENTITY_POLICY" && !applied.has(r.id));
    const served = viaIdentity.filter((r) => productTagOn(r) || inline.has(r.id));
    const untagged = viaIdentity.filter((r) => !productTagOn(r)).map((r) => r.id);
    // Customers of repository-policy repositories only never pay for an inline-policy read,
    // unless drift repair asks to check what AWS holds.
    if (viaIdentity.length > 0 || inline.size > 0 || options.recheckIdentity) {
      await syncInlinePullPolicy(identity, served, actor);
      const inlineIds = served.map((r) => r.id);
      await db.repositoryGrant.updateMany({ where: { identityId: identity.id, repositoryId: { in: inlineIds } }, data: { inline: true } });
      await db.repositoryGrant.updateMany({ where: { identityId: identity.id, repositoryId: { notIn: inlineIds } }, data: { inline: false } });
    }
    const grants = await db.repositoryGrant.findMany({ where: { identityId: identity.id }, select: grantFields, orderBy: { repositoryId: "asc" } });
    if (!grants.some((g) => awaitsInlinePolicy(g, g.repository.strategy) && !untagged.includes(g.repositoryId))) return { grants, untagged };
    if (attempt === 3) throw new Error("A repository kept changing its grant strategy; the reconcile will be retried");
  }
}

/**
 * A recorded user with an active key has been through every step of ensureIdentity (the key is
 * made last), so the follow-up pass after a repository write spends no IAM calls on it, unless a
 * retiring key's overlap has ended and the key must go. Drift the database cannot see is the
 * periodic audit's job.
 */
async function identityComplete(identity: { id: string; userId: string | null; status: string } | null) {
  if (!identity?.userId || identity.status !== "ACTIVE") return false;
  const keys = await db.accessKey.findMany({
    where: { identityId: identity.id, status: { in: ["ACTIVE", "RETIRING"] } },
    select: { status: true, retireAfter: true },
  });
  const now = new Date();
  return keys.some((k) => k.status === "ACTIVE") && !keys.some((k) => retirementDue(k, now));
}
