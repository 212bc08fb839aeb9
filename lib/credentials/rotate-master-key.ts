import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { configuredKeyring, rewrap, type Keyring } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { endpointSecretAad } from "@/lib/webhooks/endpoints";
import { totpSecretAad } from "@/lib/auth/mfa/totp";
import { clientSecretAad } from "@/lib/auth/sso/sealed-client-secret";

type SealedRow = { kind: "access key" | "webhook endpoint" | "sso connection" | "totp secret"; id: string; ciphertext: string; keyId: string; aad: string };
export type UnreadableSecret = { kind: SealedRow["kind"]; id: string };

/**
 * Re-wraps every stored secret that is not yet under the current master key. Each row is
 * updated only if its ciphertext is still the one read (a secret revealed meanwhile stays erased),
 * so it is safe beside a running portal and safe to rerun after an interruption. A secret no
 * configured key opens (damaged, or sealed under a key left out of the keyring) is named in
 * `unreadable` and left as it is: it must not stop every other secret from moving.
 */
export async function rotateMasterKey(keyring: Keyring = configuredKeyring()) {
  let rewrapped = 0;
  const unreadable: UnreadableSecret[] = [];
  for (const row of await staleRows(keyring.current.id)) {
    let next: ReturnType<typeof rewrap>;
    try {
      next = rewrap(row.ciphertext, row.keyId, row.aad, keyring);
    } catch (error) {
      log().error({ kind: row.kind, id: row.id, keyId: row.keyId, err: error }, "Stored secret could not be opened; left as it is");
      unreadable.push({ kind: row.kind, id: row.id });
      continue;
    }
    rewrapped += (await saveRewrapped(row, next)).count;
  }
  await recordAuditEvent(db, {
    actor: systemActor("master key rotation"),
    action: "secrets.rewrapped",
    data: { keyId: keyring.current.id, rewrapped, unreadable },
  });
  return { rewrapped, unreadable, currentKeyId: keyring.current.id };
}

function saveRewrapped(row: SealedRow, next: { ciphertext: string; keyId: string }) {
  if (row.kind === "sso connection") {
    return db.ssoConnection.updateMany({ where: { id: row.id, clientSecretCiphertext: row.ciphertext }, data: { clientSecretCiphertext: next.ciphertext, clientSecretKeyId: next.keyId } });
  }
  if (row.kind === "totp secret") {
    return db.user.updateMany({ where: { id: row.id, totpSecretCiphertext: row.ciphertext }, data: { totpSecretCiphertext: next.ciphertext, totpSecretKeyId: next.keyId } });
  }
  const data = { secretCiphertext: next.ciphertext, secretKeyId: next.keyId };
  const where = { id: row.id, secretCiphertext: row.ciphertext };
  return row.kind === "access key" ? db.accessKey.updateMany({ where, data }) : db.webhookEndpoint.updateMany({ where, data });
}

async function staleRows(currentKeyId: string): Promise<SealedRow[]> {
  const keys = await db.accessKey.findMany({
    where: { secretCiphertext: { not: null }, secretKeyId: { not: currentKeyId } },
    select: { id: true, accessKeyId: true, secretCiphertext: true, secretKeyId: true },
  });
  // Webhook signing secrets are kept for good, so they must move to the current key too.
  const endpoints = await db.webhookEndpoint.findMany({
    where: { secretKeyId: { not: currentKeyId } },
    select: { id: true, secretCiphertext: true, secretKeyId: true },
  });
  const connections = await db.ssoConnection.findMany({
    where: { clientSecretKeyId: { not: currentKeyId } },
    select: { id: true, scope: true, clientSecretCiphertext: true, clientSecretKeyId: true },
  });
  const totp = await db.user.findMany({
    where: { totpSecretCiphertext: { not: null }, totpSecretKeyId: { not: currentKeyId } },
    select: { id: true, totpSecretCiphertext: true, totpSecretKeyId: true },
  });
  return [
    ...totp.map((u) => ({ kind: "totp secret" as const, id: u.id, ciphertext: u.totpSecretCiphertext!, keyId: u.totpSecretKeyId!, aad: totpSecretAad(u.id) })),
    ...connections.map((c) => ({ kind: "sso connection" as const, id: c.id, ciphertext: c.clientSecretCiphertext, keyId: c.clientSecretKeyId, aad: clientSecretAad(c.scope) })),
    ...keys.map((k) => ({ kind: "access key" as const, id: k.id, ciphertext: k.secretCiphertext!, keyId: k.secretKeyId!, aad: k.accessKeyId })),
    ...endpoints.map((e) => ({ kind: "webhook endpoint" as const, id: e.id, ciphertext: e.secretCiphertext, keyId: e.secretKeyId, aad: endpointSecretAad(e.id) })),
  ];
}
