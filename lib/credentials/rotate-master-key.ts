import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { configuredKeyring, rewrap, type Keyring } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { endpointSecretAad } from "@/lib/webhooks/endpoints";

/**
 * Re-wraps every stored secret that is not yet under the current master key. Each row is
 * updated only if its ciphertext is still the one read (a secret revealed meanwhile stays erased),
 * so it is safe beside a running portal and safe to rerun after an interruption.
 */
export async function rotateMasterKey(keyring: Keyring = configuredKeyring()) {
  const stale = await db.accessKey.findMany({
    where: { secretCiphertext: { not: null }, secretKeyId: { not: keyring.current.id } },
    select: { id: true, accessKeyId: true, secretCiphertext: true, secretKeyId: true },
  });
  let rewrapped = 0;
  for (const row of stale) {
    const next = rewrap(row.secretCiphertext!, row.secretKeyId!, row.accessKeyId, keyring);
    const updated = await db.accessKey.updateMany({
      where: { id: row.id, secretCiphertext: row.secretCiphertext },
      data: { secretCiphertext: next.ciphertext, secretKeyId: next.keyId },
    });
    rewrapped += updated.count;
  }
  // Webhook signing secrets are kept for good, so they must move to the current key too.
  const staleEndpoints = await db.webhookEndpoint.findMany({
    where: { secretKeyId: { not: keyring.current.id } },
    select: { id: true, secretCiphertext: true, secretKeyId: true },
  });
  for (const row of staleEndpoints) {
    const next = rewrap(row.secretCiphertext, row.secretKeyId, endpointSecretAad(row.id), keyring);
    const updated = await db.webhookEndpoint.updateMany({
      where: { id: row.id, secretCiphertext: row.secretCiphertext },
      data: { secretCiphertext: next.ciphertext, secretKeyId: next.keyId },
    });
    rewrapped += updated.count;
  }
  await recordAuditEvent(db, {
    actor: systemActor("master key rotation"),
    action: "secrets.rewrapped",
    data: { keyId: keyring.current.id, rewrapped },
  });
  return { rewrapped, currentKeyId: keyring.current.id };
}
