import { accessKeyLastUsed } from "@/lib/aws/iam";
import { db } from "@/lib/db";

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
 * within hours, not instantly). Only keys of this customer's live identity are looked up.
 */
export async function keyUsage(customerId: string): Promise<KeyUsage[]> {
  const keys = await db.accessKey.findMany({
    where: { status: { not: "DELETED" }, identity: { liveFor: customerId } },
    orderBy: { createdAt: "desc" },
    select: { accessKeyId: true, status: true, retireAfter: true },
  });
  return Promise.all(
    keys.map(async ({ accessKeyId, status, retireAfter }) => ({
      accessKeyId,
      retiringUntil: status === "RETIRING" ? retireAfter : null,
      ...(await accessKeyLastUsed(accessKeyId)),
    })),
  );
}
