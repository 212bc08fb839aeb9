import { systemActor, type Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { deleteUserCompletely, deleteUserInlinePolicy } from "@/lib/aws/iam";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { detectDrift, type DriftFinding } from "./detect-drift";
import { convergeCustomer } from "./converge-customer";
import { PENDING_GRACE_MS } from "./reconcile-pending";
import { reconcileRepository } from "./reconcile-repository";

/**
 * Runs the audit when the last one started at least DRIFT_AUDIT_MINUTES ago and no provisioning
 * has moved within the pending grace period (a key or principal in flight would look like drift); null
 * otherwise.
 */
export async function auditDriftIfDue(now = new Date()) {
  const last = await db.driftRun.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true } });
  if (last && now.getTime() - last.startedAt.getTime() < env().DRIFT_AUDIT_MINUTES * 60_000) return null;
  const busy = await db.entitlement.count({ where: { syncStatus: "PENDING", updatedAt: { gt: new Date(now.getTime() - PENDING_GRACE_MS) } } });
  if (busy > 0) return null;
  return auditDrift();
}

/**
 * Finds drift, records it (a DriftRun and one audit event per finding) and repairs it through the
 * reconcile path: repository policies are rewritten to the desired principals, customers with
 * unknown keys or a changed pull policy are reconciled (which deletes those keys and rewrites the
 * policy), inline policies Pullgate did not write are deleted, users under Pullgate's path
 * that no identity owns are deleted once no repository policy names them, and a customer whose
 * user was deleted behind Pullgate's back gets a new identity generation (a new user and key).
 * `replaced` lists those customers: their owners are to be told a new key is waiting.
 */
export async function auditDrift(actor: Actor = systemActor("drift audit")) {
  const run = await db.driftRun.create({ data: {} });
  try {
    const findings = await detectDrift();
    for (const finding of findings) {
      const customerId = "customerId" in finding ? finding.customerId : null;
      await recordAuditEvent(db, { actor, action: `drift.${finding.kind}`, customerId, data: finding });
    }
    const { repaired, replaced, failures } = await repair(findings, actor);
    const error = failures.length > 0 ? `${failures.length} repair(s) failed: ${failures.join("; ")}`.slice(0, 2000) : null;
    await db.driftRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), findings, repaired, error } });
    return { findings, repaired, replaced, failures };
  } catch (error) {
    await db.driftRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), error: (error as Error).message } });
    throw error;
  }
}

async function repair(findings: DriftFinding[], actor: Actor) {
  const repositories = new Set<string>();
  const customers = new Set<string>();
  const followUps = new Set<string>();
  const orphans = new Set<string>();
  const foreignPolicies: { userName: string; policyName: string }[] = [];
  const replaced: string[] = [];
  const missingUsers: Extract<DriftFinding, { kind: "missing-user" }>[] = [];
  for (const f of findings) {
    // Pullgate cannot bring back a repository, nor mark one: the vendor does, or detaches it.
    if (f.kind === "missing-repository" || f.kind === "unmarked-repository") continue;
    // Not Pullgate's to delete: someone else's user under its path.
    if (f.kind === "foreign-user") continue;
    if (f.kind === "missing-user") missingUsers.push(f);
    else if (f.kind === "orphan-user") orphans.add(f.userName);
    else if (f.kind === "unknown-inline-policy") foreignPolicies.push(f);
    else if (f.kind === "unknown-access-key" || f.kind === "inline-policy-drift" || f.kind === "workload-role-drift") customers.add(f.customerId);
    else {
      // Forgetting the confirmation makes the repository's reconcile put the tag back.
      if (f.kind === "missing-product-tag") await db.repository.updateMany({ where: { id: f.repositoryId }, data: { taggedFor: null } });
      repositories.add(f.repositoryId);
    }
  }
  let repaired = 0;
  // One repair that fails (AWS refuses, a row went away meanwhile) is recorded and the others go
  // on: one repository or user must not hold up everyone else's repair.
  const failures: string[] = [];
  const attempt = async (target: string, fix: () => Promise<boolean>) => {
    try {
      if (await fix()) repaired++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log().error({ err: error, target }, "drift repair failed");
      failures.push(`${target}: ${message}`.slice(0, 300));
      await recordAuditEvent(db, { actor, action: "drift.repair_failed", data: { target, message: message.slice(0, 500) } });
    }
  };
  for (const f of missingUsers) {
    await attempt(`user ${f.userName}`, async () => {
      await retireMissingIdentity(f, actor);
      customers.add(f.customerId);
      replaced.push(f.customerId);
      return true;
    });
  }
  // Policies first: an orphan user is deleted only after it has left every repository policy.
  for (const id of repositories) {
    await attempt(`repository ${id}`, async () => {
      const { customers: waiting } = await reconcileRepository(id, actor);
      for (const customerId of waiting) followUps.add(customerId);
      return true;
    });
  }
  for (const id of customers) await attempt(`customer ${id}`, async () => (await convergeCustomer(id, actor, { recheckIdentity: true })).ok);
  // Customers a rewritten policy lets move on (for example, a revoked user can now be deleted).
  for (const id of followUps) {
    if (customers.has(id)) continue;
    await attempt(`customer ${id}`, async () => {
      await convergeCustomer(id, actor);
      return false;
    });
  }
  // A customer user carries only what Pullgate gives it: any other inline policy goes.
  for (const { userName, policyName } of foreignPolicies) {
    await attempt(`user ${userName}`, async () => {
      await deleteUserInlinePolicy(userName, policyName);
      await recordAuditEvent(db, { actor, action: "aws.inline_policy.deleted", data: { userName, policyName, reason: "not Pullgate's" } });
      return true;
    });
  }
  for (const userName of orphans) {
    await attempt(`user ${userName}`, async () => {
      await deleteUserCompletely(userName);
      await recordAuditEvent(db, { actor, action: "aws.user.deleted", data: { userName, reason: "orphan under the Pullgate path" } });
      return true;
    });
  }
  return { repaired, replaced, failures };
}

/**
 * The identity whose user is gone stops being the customer's: its keys (deleted with the user)
 * and grants are let go, so the customer's reconcile makes a new generation, with a fresh name
 * (AWS shows the old user in policies as an id that a new user of that name would not match).
 */
async function retireMissingIdentity(f: { identityId: string; customerId: string; userName: string }, actor: Actor) {
  await db.$transaction(async (tx) => {
    await tx.awsIdentity.update({ where: { id: f.identityId }, data: { liveFor: null, status: "DELETED" } });
    await tx.accessKey.updateMany({ where: { identityId: f.identityId, status: { not: "DELETED" } }, data: { status: "DELETED", secretCiphertext: null } });
    await tx.repositoryGrant.updateMany({ where: { identityId: f.identityId }, data: { desired: false } });
    await recordAuditEvent(tx, { actor, action: "aws.user.replaced", customerId: f.customerId, data: { userName: f.userName, reason: "deleted outside Pullgate" } });
  });
}
