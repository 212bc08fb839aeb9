import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Returns the secret of the customer's access key exactly once: the ciphertext is erased in the
 * same transaction, and of two concurrent reveals only one gets the secret.
 */
export async function revealSecret({ actor, customerId, accessKeyId }: { actor: Actor; customerId: string; accessKeyId: string }) {
  return db.$transaction(async (tx) => {
    const key = await tx.accessKey.findFirst({
      where: { accessKeyId, status: "ACTIVE", identity: { customerId } },
      omit: { secretCiphertext: false },
    });
    if (!key) throw new AppError("NOT_FOUND", "Access key not found");
    if (!key.secretCiphertext || !key.secretKeyId) {
      throw new AppError("CONFLICT", "This secret was already shown once. Request a new key to get a new secret.");
    }
    const erased = await tx.accessKey.updateMany({
      where: { id: key.id, secretCiphertext: { not: null } },
      data: { secretCiphertext: null, revealedAt: new Date() },
    });
    if (erased.count !== 1) throw new AppError("CONFLICT", "This secret was already shown once.");
    await recordAuditEvent(tx, { actor, action: "access_key.revealed", customerId, data: { accessKeyId } });
    return { accessKeyId, secretAccessKey: open(key.secretCiphertext, key.secretKeyId, key.accessKeyId) };
  });
}
