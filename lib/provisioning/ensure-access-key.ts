import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createAccessKey, deleteAccessKey, listAccessKeyIds } from "@/lib/aws/iam";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";

type Identity = { id: string; customerId: string; userName: string };

/** A retiring key goes once its overlap has ended (or was cut short by the customer). */
export function retirementDue(key: { status: string; retireAfter: Date | null }, now: Date) {
  return key.status === "RETIRING" && (!key.retireAfter || key.retireAfter <= now);
}

/**
 * Leaves the user with exactly one active key that the database knows, besides a retiring key
 * still in its overlap (never more than AWS's two keys). A key AWS has but the
 * database does not is the trace of a crash between CreateAccessKey and storing it, or of a
 * CreateAccessKey that acted but answered with an error and was retried: its secret is lost, so
 * it is deleted (which also keeps the user under AWS's two-key limit).
 */
export async function ensureAccessKey(identity: Identity, actor: Actor) {
  const audit = (action: string, accessKeyId: string) =>
    recordAuditEvent(db, { actor, action, customerId: identity.customerId, data: { accessKeyId, userName: identity.userName } });

  /** Deletes keys the database does not know; returns the ones it does. */
  const deleteUnknownKeys = async () => {
    const remote = new Set(await listAccessKeyIds(identity.userName));
    const local = await db.accessKey.findMany({ where: { identityId: identity.id, status: { not: "DELETED" } } });
    const known = new Set(local.map((k) => k.accessKeyId));
    for (const keyId of remote) {
      if (known.has(keyId)) continue;
      await deleteAccessKey(identity.userName, keyId);
      await audit("aws.access_key.orphan_deleted", keyId);
    }
    return { remote, local };
  };

  const { remote, local } = await deleteUnknownKeys();
  const now = new Date();
  let active = 0;
  for (const key of local) {
    if (retirementDue(key, now) || !remote.has(key.accessKeyId)) {
      if (remote.has(key.accessKeyId)) await deleteAccessKey(identity.userName, key.accessKeyId);
      await db.accessKey.update({
        where: { id: key.id },
        data: { status: "DELETED", deletedAt: new Date(), secretCiphertext: null },
      });
      await audit("aws.access_key.deleted", key.accessKeyId);
    } else if (key.status === "ACTIVE") {
      active++;
    }
  }
  if (active > 0) return;

  const created = await createAccessKey(identity.userName);
  const sealed = seal(created.secretAccessKey, created.accessKeyId);
  await db.accessKey.create({
    data: {
      identityId: identity.id,
      accessKeyId: created.accessKeyId,
      secretCiphertext: sealed.ciphertext,
      secretKeyId: sealed.keyId,
    },
  });
  await audit("aws.access_key.created", created.accessKeyId);
  // The SDK retries a CreateAccessKey whose answer was lost: an earlier attempt may have made a key too.
  await deleteUnknownKeys();
}
