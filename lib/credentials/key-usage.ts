import { accessKeyLastUsed } from "@/lib/aws/iam";
import { memoFor } from "@/lib/cache/memo-for";
import { db } from "@/lib/db";

// IAM itself records last use only within hours: asking it on every page view would spend its
// call quota for nothing.
const LAST_USED_CACHE_MS = 5 * 60_000;

export type KeyUsage = {
  accessKeyId: string;
  /** Set on a key being rotated out: when it stops working unless retired sooner. */
  retiringUntil: Date | null;
  lastUsedAt: Date | null;
  service: string | null;
  region: string | null;
};

/**
 * When each of the customer's current keys was last used, as IAM records it (IAM updates it
 * within hours, not instantly; read at most every five minutes per key). Only keys of this customer's live identity are looked up.
 */
export async function keyUsage(customerId: string, now = Date.now()): Promise<KeyUsage[]> {
  const keys = await db.accessKey.findMany({
    where: { status: { not: "DELETED" }, identity: { liveFor: customerId } },
    orderBy: { createdAt: "desc" },
    select: { accessKeyId: true, status: true, retireAfter: true },
  });
  return Promise.all(
    keys.map(async ({ accessKeyId, status, retireAfter }) => ({
      accessKeyId,
      retiringUntil: status === "RETIRING" ? retireAfter : null,
      ...(await memoFor(`key-last-used:${accessKeyId}`, LAST_USED_CACHE_MS, () => accessKeyLastUsed(accessKeyId), now)),
    })),
  );
}
