import { createHash } from "node:crypto";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { keylessPullPolicy } from "@/lib/aws/broker-role";
import { INLINE_PULL_POLICY_NAME, inlinePolicyChars, sameDocument, type InlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { canonicalJson } from "@/lib/aws/pull-policy";
import type { AwsAccount } from "@/lib/aws/partition";
import { portalAccount } from "@/lib/aws/sts";
import {
  addOidcClientId,
  createOidcProvider,
  createWorkloadRole,
  deleteOidcProvider,
  deleteWorkloadRole,
  listOidcProviderArns,
  putWorkloadPolicy,
  readOidcProvider,
  readWorkloadPolicy,
  readWorkloadRole,
  updateWorkloadTrust,
} from "@/lib/aws/workload-iam";
import { OIDC_PROVIDERS_PER_ACCOUNT, oidcProviderArn, TRUST_POLICY_MAX_CHARS, workloadRoleName, workloadTrustPolicy, type TrustedWorkload } from "@/lib/aws/workload-role";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { withLock } from "@/lib/locks/advisory-lock";
import { customerPolicies } from "./ensure-identity";
import { keylessGrant } from "./keyless-grant";

// The customer's workload role, converged like its IAM user: it exists while the customer trusts
// a workload and holds a product offering federation, trusts exactly those workloads, and may
// pull exactly those products; otherwise it is deleted. No repository policy names it (its own
// policy grants same-account pulls; the vendor's other accounts trust every workload role by ARN
// pattern), so deleting it is the whole revocation.

const WORKLOAD_FIELDS = { issuer: true, audience: true, subject: true } as const;

/** The role's trust and permissions as the database wants them. */
const wantedWorkloadRole = (account: AwsAccount, workloads: TrustedWorkload[], grant: InlinePullGrant) => ({
  trust: workloadTrustPolicy(account, workloads),
  permissions: keylessPullPolicy(grant, account),
});

export type WorkloadRoleDrift = { customerId: string; roleName: string; problem: "missing" | "unmarked" | "trust" | "permissions" };

/**
 * How each customer's workload role differs from what the database wants, read-only: gone,
 * taken over (its mark removed), or trusting or allowing other than it should. The drift audit
 * reports these and repairs them by reconciling the customer.
 */
export async function detectWorkloadRoleDrift(now = new Date()): Promise<WorkloadRoleDrift[]> {
  const customers = await db.customer.findMany({ where: { workloadRoleArn: { not: null } }, select: { id: true } });
  const account = customers.length > 0 ? await portalAccount() : null;
  const drift: WorkloadRoleDrift[] = [];
  for (const { id: customerId } of customers) {
    const workloads = await db.workloadIdentity.findMany({ where: { customerId }, select: WORKLOAD_FIELDS });
    const entitled = await keylessGrant(customerId, "OIDC_FEDERATION", now);
    // Nothing wanted: the role's removal is the reconcile's to finish, not drift.
    if (!entitled || workloads.length === 0) continue;
    const finding = (problem: WorkloadRoleDrift["problem"]) => drift.push({ customerId, roleName: workloadRoleName(customerId), problem });
    const role = await readWorkloadRole(customerId);
    if (!role) {
      finding("missing");
      continue;
    }
    if (!role.marked) {
      finding("unmarked");
      continue;
    }
    const wanted = wantedWorkloadRole(account!, workloads, entitled.grant);
    if (!sameDocument(role.trustPolicy, wanted.trust)) finding("trust");
    if (!sameDocument(await readWorkloadPolicy(customerId, INLINE_PULL_POLICY_NAME), wanted.permissions)) finding("permissions");
  }
  return drift;
}

const digestOf = (wanted: ReturnType<typeof wantedWorkloadRole>) => createHash("sha256").update(canonicalJson(wanted)).digest("hex");

/**
 * Converges the role to the customer's workloads and products; idempotent, and resumable at any
 * step. When the database says the role was written as wanted, IAM is not read, unless `recheck`
 * (drift repair) asks.
 */
export async function convergeWorkloadRole(customerId: string, actor: Actor, now = new Date(), { recheck = false } = {}) {
  const workloads = await db.workloadIdentity.findMany({ where: { customerId }, select: WORKLOAD_FIELDS, orderBy: { createdAt: "asc" } });
  const entitled = workloads.length > 0 ? await keylessGrant(customerId, "OIDC_FEDERATION", now) : null;
  if (!entitled) return removeWorkloadRole(customerId, actor);

  const account = await portalAccount();
  const wanted = wantedWorkloadRole(account, workloads, entitled.grant);
  const digest = digestOf(wanted);
  const recorded = await db.customer.findUniqueOrThrow({ where: { id: customerId }, select: { workloadRoleArn: true, workloadRoleDigest: true } });
  if (!recheck && recorded.workloadRoleArn && recorded.workloadRoleDigest === digest) return;

  for (const issuer of new Set(workloads.map((w) => w.issuer))) await ensureOidcProvider(account, issuer, actor);
  const { trust, permissions } = wanted;
  // Registration keeps within it; a refusal here means the limit was lowered or rows were written by hand.
  if (inlinePolicyChars(trust) > TRUST_POLICY_MAX_CHARS) throw new Error(`the workload role's trust policy would exceed IAM's ${TRUST_POLICY_MAX_CHARS} characters`);

  let role = await readWorkloadRole(customerId);
  if (role && !role.marked) throw new Error(`${role.arn} exists without Pullgate's mark; refusing to take it over`);
  if (!role) {
    const { boundary } = await customerPolicies(account);
    const arn = await createWorkloadRole(customerId, { path: env().PULLGATE_IAM_PATH, boundaryArn: boundary, trustPolicy: trust });
    await recordAuditEvent(db, { actor, action: "aws.workload_role.created", customerId, data: { arn } });
    role = { arn, trustPolicy: trust, marked: true, policyNames: [] };
  } else if (!sameDocument(role.trustPolicy, trust)) {
    await updateWorkloadTrust(customerId, trust);
    await recordAuditEvent(db, { actor, action: "aws.workload_role.trust_updated", customerId, data: { arn: role.arn, workloads: workloads.length } });
  }
  if (!sameDocument(await readWorkloadPolicy(customerId, INLINE_PULL_POLICY_NAME), permissions)) {
    await putWorkloadPolicy(customerId, INLINE_PULL_POLICY_NAME, permissions);
    await recordAuditEvent(db, { actor, action: "aws.workload_role.policy_updated", customerId, data: { arn: role.arn, ...entitled.grant } });
  }
  await db.customer.update({ where: { id: customerId }, data: { workloadRoleArn: role.arn, workloadRoleDigest: digest } });
  // A workload the customer removed may have been its issuer's last.
  await pruneOidcProviders(actor);
}

/** Deletes the customer's role (its sessions stop at their next request), then providers nobody uses. */
async function removeWorkloadRole(customerId: string, actor: Actor) {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { workloadRoleArn: true } });
  // Nothing recorded: the role was never made, or its removal finished (a crash before the
  // update below leaves the ARN, so the next run reads IAM again).
  if (!customer?.workloadRoleArn) return;
  const role = await readWorkloadRole(customerId);
  if (role?.marked) {
    await deleteWorkloadRole(customerId, role.policyNames);
    await recordAuditEvent(db, { actor, action: "aws.workload_role.deleted", customerId, data: { arn: role.arn } });
  }
  await db.customer.update({ where: { id: customerId }, data: { workloadRoleArn: null, workloadRoleDigest: null } });
  await pruneOidcProviders(actor);
}

/**
 * The account's provider for the issuer, accepting every audience customers registered for it:
 * Pullgate's own, else one the vendor made (used, never deleted), else a new one while IAM's
 * quota allows. One writer per issuer at a time.
 */
async function ensureOidcProvider(account: AwsAccount, issuer: string, actor: Actor) {
  await withLock(`oidc-provider:${issuer}`, async () => {
    const arn = oidcProviderArn(account, issuer);
    const audiences = (await db.workloadIdentity.findMany({ where: { issuer }, distinct: ["audience"], select: { audience: true } })).map((w) => w.audience).sort();
    const state = await readOidcProvider(arn);
    if (!state) {
      if ((await listOidcProviderArns()).length >= OIDC_PROVIDERS_PER_ACCOUNT) {
        throw new Error(`the account holds IAM's ${OIDC_PROVIDERS_PER_ACCOUNT} OIDC providers already; none can be made for ${issuer}`);
      }
      await createOidcProvider(issuer, audiences);
      await recordAuditEvent(db, { actor, action: "aws.oidc_provider.created", data: { arn, audiences } });
    } else {
      for (const audience of audiences.filter((a) => !state.clientIds.includes(a))) {
        if (!state.marked) throw new Error(`${arn} was not made by Pullgate and does not accept the audience ${audience}; add it there, or register an audience it accepts`);
        await addOidcClientId(arn, audience);
        await recordAuditEvent(db, { actor, action: "aws.oidc_provider.audience_added", data: { arn, audience } });
      }
    }
    const createdByPullgate = state ? state.marked : true;
    await db.oidcProvider.upsert({ where: { issuer }, create: { issuer, arn, createdByPullgate }, update: { arn } });
  });
}

/** Deletes the providers Pullgate made whose issuer no customer trusts any more. */
async function pruneOidcProviders(actor: Actor) {
  const providers = await db.oidcProvider.findMany({ where: { createdByPullgate: true } });
  for (const provider of providers) {
    await withLock(`oidc-provider:${provider.issuer}`, async () => {
      if ((await db.workloadIdentity.count({ where: { issuer: provider.issuer } })) > 0) return;
      await deleteOidcProvider(provider.arn);
      await db.oidcProvider.delete({ where: { issuer: provider.issuer } });
      await recordAuditEvent(db, { actor, action: "aws.oidc_provider.deleted", data: { arn: provider.arn } });
    });
  }
}
