import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { applyCustomerChange } from "@/lib/customers/apply-customer-change";
import { addDays } from "@/lib/time/days";

export function keyOverlapDays() {
  return env().PULLGATE_KEY_OVERLAP_DAYS;
}

type Rotation = {
  actor: Actor;
  customerId: string;
  /**
   * With an overlap the current key keeps working for PULLGATE_KEY_OVERLAP_DAYS beside the new one;
   * without, it is deleted before the new key is made (a leaked key must stop at once).
   */
  overlap: boolean;
};

/**
 * Retires the customer's current key and issues a new one through the reconciler. An overlap
 * needs the user's second key slot, so it is refused while an earlier rotation's key still
 * retires: the user never holds more than AWS's two keys.
 */
export async function rotateAccessKey({ actor, customerId, overlap }: Rotation) {
  const now = new Date();
  const retireAfter = overlap ? addDays(now, keyOverlapDays()) : now;
  await db.$transaction(async (tx) => {
    const mine = { identity: { liveFor: customerId } };
    const retiring = await tx.accessKey.findFirst({ where: { ...mine, status: "RETIRING" }, select: { retireAfter: true } });
    if (overlap && retiring) {
      const until = retiring.retireAfter?.toISOString().slice(0, 10) ?? "now";
      throw new AppError("CONFLICT", `Your previous key is still retiring (until ${until}). Retire it first, then rotate again.`);
    }
    // Only the row lock decides between concurrent rotations: the loser updates nothing.
    const rotated = await tx.accessKey.updateMany({ where: { ...mine, status: "ACTIVE" }, data: { status: "RETIRING", retireAfter } });
    if (rotated.count === 0) throw new AppError("NOT_FOUND", "There is no active access key to replace");
    if (!overlap) await tx.accessKey.updateMany({ where: { ...mine, status: "RETIRING" }, data: { retireAfter: now } });
    await recordAuditEvent(tx, {
      actor,
      action: "access_key.replacement_requested",
      customerId,
      data: { overlapUntil: overlap ? retireAfter.toISOString() : null },
    });
  });
  const result = await applyCustomerChange(customerId, actor);
  if (!result.ok) throw new AppError("AWS_ERROR", "The new key could not be issued yet; it will be retried automatically");
}

/** The customer's confirmation that nothing uses the retiring key any more: it is deleted now. */
export async function retireAccessKey({ actor, customerId, accessKeyId }: { actor: Actor; customerId: string; accessKeyId: string }) {
  const retired = await db.accessKey.updateMany({
    where: { accessKeyId, status: "RETIRING", identity: { liveFor: customerId } },
    data: { retireAfter: new Date() },
  });
  if (retired.count === 0) throw new AppError("NOT_FOUND", "There is no retiring key with that id");
  await recordAuditEvent(db, { actor, action: "access_key.retirement_confirmed", customerId, data: { accessKeyId } });
  const result = await applyCustomerChange(customerId, actor);
  if (!result.ok) throw new AppError("AWS_ERROR", "The key could not be deleted yet; it will be retried automatically");
}
