import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Stops a bulk action: every item no run has taken yet is skipped as cancelled. An item a run is
 * applying at this moment is finished and recorded by that run, which then ends the operation.
 * Cancelling an operation that has ended changes nothing and says so.
 */
export async function cancelBulkOperation({ actor, operationId }: { actor: Actor; operationId: string }) {
  return db.$transaction(async (tx) => {
    const claimed = await tx.bulkOperation.updateMany({
      where: { id: operationId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED" },
    });
    if (claimed.count === 0) {
      if (!(await tx.bulkOperation.findUnique({ where: { id: operationId }, select: { id: true } }))) {
        throw new AppError("NOT_FOUND", "Bulk action not found");
      }
      return { changed: false as const, skipped: 0 };
    }
    const now = new Date();
    // Claimed items are left to their run: only the item row itself decides, so a claim and this never both win.
    const { count: skipped } = await tx.bulkOperationItem.updateMany({
      where: { operationId, status: "PENDING", claimedAt: null },
      data: { status: "SKIPPED", message: "Cancelled", processedAt: now },
    });
    if ((await tx.bulkOperationItem.count({ where: { operationId, status: "PENDING" } })) === 0) {
      await tx.bulkOperation.update({ where: { id: operationId }, data: { finishedAt: now } });
    }
    await recordAuditEvent(tx, { actor, action: "bulk.cancelled", data: { operationId, skipped } });
    return { changed: true as const, skipped };
  });
}
