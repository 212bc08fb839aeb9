import { systemActor, type Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { extendEntitlement } from "@/lib/entitlements/extend-entitlement";
import { reprovisionEntitlement } from "@/lib/entitlements/reprovision-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import type { BulkOperation, BulkOperationItem } from "@/lib/generated/prisma/client";
import { jobEngine } from "@/lib/jobs/boss";
import { BULK_QUEUE } from "@/lib/jobs/queues";
import { withLock } from "@/lib/locks/advisory-lock";
import { itemCounts } from "./bulk-operation-views";
import { failedItem, type ItemOutcome } from "./item-outcome";
import { readOperationParams, type OperationParams } from "./operation-params";

// How the job engine works through a bulk operation: one run at a time per operation (an advisory
// lock), items in order, a chunk per job. An item is claimed before it is applied, so a cancel
// skips only what no run has taken, and its outcome is recorded only while it is still pending, so
// it is recorded once. A run that dies between applying and recording leaves the item claimed; the
// next run applies it again, which the use cases make harmless (an extension to the same date or a
// second revoke changes nothing and records nothing).

// A re-provision waits on AWS for each item (a dozen IAM and ECR calls), so its chunks are smaller:
// a job finishes well within the engine's five minutes even when IAM throttles.
const CHUNK_SIZE = { EXTEND: 50, REVOKE: 50, REPROVISION: 10 } as const;

/** Queues the operation's next chunk; while one is already waiting, this changes nothing. */
export async function enqueueBulkOperation(operationId: string) {
  const boss = await jobEngine();
  await boss.send(BULK_QUEUE, { operationId }, { singletonKey: operationId });
}

/** For the minute sweep: every operation with work left, including one whose job was lost or gave up. */
export async function resumeBulkOperations(): Promise<number> {
  const unfinished = await db.bulkOperation.findMany({ where: { finishedAt: null }, select: { id: true } });
  for (const { id } of unfinished) await enqueueBulkOperation(id);
  return unfinished.length;
}

/** The items' changes are the admin's who started the operation, in the audit log too. */
function creator(operation: BulkOperation): Actor {
  const { createdByType: type, createdById: id, createdByLabel: label } = operation;
  return type === "SYSTEM" || !id ? systemActor(label) : { type, id, label };
}

async function apply(operation: BulkOperation, actor: Actor, params: OperationParams, item: BulkOperationItem): Promise<ItemOutcome> {
  // Items are created pending only with the entitlement they resolved to.
  const entitlementId = item.entitlementId!;
  try {
    switch (operation.kind) {
      case "EXTEND": {
        const { changed, entitlement } = await extendEntitlement({ actor, entitlementId, input: { expiresAt: item.expiresAt?.toISOString() } });
        const to = entitlement.expiresAt.toISOString();
        return changed ? { status: "OK", message: `Extended to ${to}` } : { status: "SKIPPED", message: `Already expires at ${to}` };
      }
      case "REVOKE": {
        const { changed } = await revokeEntitlement({ actor, entitlementId, reason: params.reason });
        return changed ? { status: "OK", message: "Revoked; access is being removed from AWS" } : { status: "SKIPPED", message: "Had already ended" };
      }
      case "REPROVISION": {
        // As from the entitlement's page: AWS is checked, not only the database's record of it.
        const result = await reprovisionEntitlement({ actor, entitlementId });
        return result.converged
          ? { status: "OK", message: "Checked in AWS and converged" }
          : { status: "FAILED", message: `AWS did not converge yet (${result.error}); retried automatically` };
      }
    }
  } catch (error) {
    return failedItem(error, { during: "bulk item", operationId: operation.id, entitlementId });
  }
}

const claim = async (itemId: string) =>
  (await db.bulkOperationItem.updateMany({ where: { id: itemId, status: "PENDING", claimedAt: null }, data: { claimedAt: new Date() } })).count === 1;

async function finish(operationId: string) {
  const now = new Date();
  const done = await db.bulkOperation.updateMany({ where: { id: operationId, status: "RUNNING" }, data: { status: "DONE", finishedAt: now } });
  if (done.count === 1) {
    const { ok, skipped, failed } = await itemCounts(operationId);
    await recordAuditEvent(db, { actor: systemActor("bulk actions"), action: "bulk.finished", data: { operationId, ok, skipped, failed } });
  }
  // A cancelled operation ends once the items a run had already taken are recorded.
  await db.bulkOperation.updateMany({ where: { id: operationId, finishedAt: null }, data: { finishedAt: now } });
}

/** Applies the operation's next `chunkSize` pending items; returns how many are left. */
export async function processBulkChunk(operationId: string, { chunkSize }: { chunkSize?: number } = {}): Promise<{ remaining: number }> {
  return withLock(`bulk-operation:${operationId}`, async () => {
    const operation = await db.bulkOperation.findUnique({ where: { id: operationId } });
    if (!operation || operation.finishedAt) return { remaining: 0 };
    await db.bulkOperation.updateMany({ where: { id: operationId, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
    const actor = creator(operation);
    const params = readOperationParams(operation.params);
    const items = await db.bulkOperationItem.findMany({
      where: { operationId, status: "PENDING" },
      orderBy: { position: "asc" },
      take: chunkSize ?? CHUNK_SIZE[operation.kind],
    });
    for (const item of items) {
      // Claimed yet pending: a run died while applying it (only one run holds the lock).
      if (!item.claimedAt && !(await claim(item.id))) continue;
      const outcome = await apply(operation, actor, params, item);
      await db.bulkOperationItem.updateMany({ where: { id: item.id, status: "PENDING" }, data: { ...outcome, processedAt: new Date() } });
    }
    const remaining = await db.bulkOperationItem.count({ where: { operationId, status: "PENDING" } });
    if (remaining === 0) await finish(operationId);
    return { remaining };
  });
}
