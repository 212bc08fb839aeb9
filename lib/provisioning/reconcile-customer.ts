import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { grantsAccess } from "@/lib/entitlements/lifecycle";
import { log, withLogContext } from "@/lib/log";
import { withLock } from "./advisory-lock";
import { deleteIdentity } from "./delete-identity";
import { ensureIdentity } from "./ensure-identity";
import { reconcileRepository } from "./reconcile-repository";

export type ReconcileResult = { ok: true } | { ok: false; error: string };

type EntitlementState = Awaited<ReturnType<typeof readEntitlements>>[number];

function readEntitlements(customerId: string) {
  return db.entitlement.findMany({
    where: { customerId },
    select: {
      id: true,
      status: true,
      startsAt: true,
      expiresAt: true,
      syncStatus: true,
      updatedAt: true,
      product: { select: { gracePeriodDays: true, repositories: { select: { id: true } } } },
    },
  });
}

/**
 * The one path from desired state to AWS for a customer. Grant, revoke, expiry, new key and
 * retry all change the database first and then call this. It reads which repositories the
 * customer's entitlements reach now and converges: user, login policy and key where access is
 * wanted; the principal in (or out of) each repository policy; and, when nothing is wanted any
 * more, the user deleted, strictly after it has left every repository policy.
 * Idempotent and resumable: each step checks AWS before it acts.
 */
export async function reconcileCustomer(customerId: string, actor: Actor): Promise<ReconcileResult> {
  return withLock(`customer:${customerId}`, async () => {
    const entitlements = await readEntitlements(customerId);
    const unsynced = entitlements.filter((e) => e.syncStatus !== "SYNCED");
    return withLogContext({ customerId, entitlementIds: unsynced.map((e) => e.id) }, async () => {
      try {
        await converge(customerId, entitlements, actor);
        await markUnsynced(unsynced, { syncStatus: "SYNCED", syncedAt: new Date(), syncError: null });
        log().info("customer converged");
        return { ok: true };
      } catch (error) {
        const message = String((error as Error)?.message ?? error);
        log().error({ err: error }, "customer reconcile failed");
        await markUnsynced(unsynced, { syncStatus: "FAILED", syncError: message, syncAttempts: { increment: 1 } });
        for (const e of unsynced) {
          await recordAuditEvent(db, { actor, action: "provisioning.failed", customerId, entitlementId: e.id, data: { error: message } });
        }
        return { ok: false, error: message };
      }
    });
  });
}

async function converge(customerId: string, entitlements: EntitlementState[], actor: Actor) {
  const now = new Date();
  const wanted = new Set(
    entitlements
      .filter((e) => grantsAccess(e, e.product.gracePeriodDays, now))
      .flatMap((e) => e.product.repositories.map((r) => r.id)),
  );
  let identity = await db.awsIdentity.findUnique({ where: { liveFor: customerId } });
  if (wanted.size > 0) identity = await ensureIdentity(customerId, identity, actor);
  if (!identity) return;

  for (const repositoryId of wanted) {
    await db.repositoryGrant.upsert({
      where: { repositoryId_identityId: { repositoryId, identityId: identity.id } },
      create: { repositoryId, identityId: identity.id, principal: identity.arn, desired: true },
      update: { desired: true, principal: identity.arn },
    });
  }
  await db.repositoryGrant.updateMany({
    where: { identityId: identity.id, repositoryId: { notIn: [...wanted] }, desired: true },
    data: { desired: false },
  });
  const touched = await db.repositoryGrant.findMany({
    where: { identityId: identity.id, OR: [{ desired: true }, { applied: true }] },
    select: { repositoryId: true },
    orderBy: { repositoryId: "asc" },
  });
  for (const { repositoryId } of touched) await reconcileRepository(repositoryId, actor);

  const stillGranted = await db.repositoryGrant.count({ where: { identityId: identity.id, applied: true } });
  if (wanted.size === 0 && stillGranted === 0) await deleteIdentity(identity, actor);
}

/** Entitlements changed while we worked keep their state; their own reconcile follows. */
async function markUnsynced(
  unsynced: EntitlementState[],
  data: { syncStatus: "SYNCED" | "FAILED"; syncedAt?: Date; syncError: string | null; syncAttempts?: { increment: number } },
) {
  for (const e of unsynced) {
    await db.entitlement.updateMany({ where: { id: e.id, updatedAt: e.updatedAt }, data });
  }
}
