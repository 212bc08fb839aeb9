import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// AES-256-GCM under the master key named by PULLGATE_MASTER_KEY_ID. The key id is stored with
// each ciphertext so a later master key can be introduced without losing older secrets.
const VERSION = "v1";

type MasterKey = { id: string; key: Buffer };

function currentKey(): MasterKey {
  const { PULLGATE_MASTER_KEY, PULLGATE_MASTER_KEY_ID } = env();
  return { id: PULLGATE_MASTER_KEY_ID, key: Buffer.from(PULLGATE_MASTER_KEY, "base64") };
}

export function seal(plaintext: string, aad: string, master: MasterKey = currentKey()) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", master.key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const ciphertext = [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(".");
  return { ciphertext, keyId: master.id };
}

/** `aad` binds the ciphertext to its row (e.g. the access key id), so it cannot be swapped. */
export function open(ciphertext: string, keyId: string, aad: string, master: MasterKey = currentKey()) {
  if (keyId !== master.id) throw new Error(`Secret was sealed with master key "${keyId}", which is not configured`);
  const [version, iv, tag, body] = ciphertext.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("Unrecognized secret format");
  // A full 16-byte tag is required: GCM would otherwise accept truncated (weaker) tags.
  const decipher = createDecipheriv("aes-256-gcm", master.key, Buffer.from(iv, "base64"), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}
