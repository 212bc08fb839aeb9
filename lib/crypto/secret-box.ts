import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// Envelope encryption: each secret gets its own random data key (AES-256-GCM); the data key is
// stored wrapped by a master key (AES-256-GCM) named by id. Rotating the master key re-wraps the
// small data keys and never touches the secrets themselves.
//   v1.<wrap iv>.<wrap tag>.<wrapped data key>.<iv>.<tag>.<body>   (base64 parts)
const VERSION = "v1";
const TAG_BYTES = 16;

export type MasterKey = { id: string; key: Buffer };
/** The key new secrets are sealed with, and retired keys that may still open older ones. */
export type Keyring = { current: MasterKey; previous: MasterKey[] };

export function configuredKeyring(): Keyring {
  const { PULLGATE_MASTER_KEY, PULLGATE_MASTER_KEY_ID, PULLGATE_PREVIOUS_MASTER_KEYS } = env();
  return {
    current: { id: PULLGATE_MASTER_KEY_ID, key: Buffer.from(PULLGATE_MASTER_KEY, "base64") },
    previous: PULLGATE_PREVIOUS_MASTER_KEYS,
  };
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv, cipher.getAuthTag(), body];
}

function decrypt(key: Buffer, [iv, tag, body]: Buffer[], aad: string) {
  // A full 16-byte tag is required: GCM would otherwise accept truncated (weaker) tags.
  const decipher = createDecipheriv("aes-256-gcm", key, iv!, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]);
}

function parts(ciphertext: string) {
  const [version, ...rest] = ciphertext.split(".");
  if (version !== VERSION || rest.length !== 6 || rest.some((p) => !p)) throw new Error("Unrecognized secret format");
  const bytes = rest.map((p) => Buffer.from(p, "base64"));
  return { wrapped: bytes.slice(0, 3), sealed: bytes.slice(3) };
}

function masterKey(keyring: Keyring, keyId: string) {
  const found = [keyring.current, ...keyring.previous].find((k) => k.id === keyId);
  if (!found) throw new Error(`Secret was sealed with master key "${keyId}", which is not configured`);
  return found.key;
}

const wrapAad = (aad: string) => `pullgate-data-key:${aad}`;
const join = (buffers: Buffer[]) => [VERSION, ...buffers.map((b) => b.toString("base64"))].join(".");

/** `aad` binds the ciphertext to its row (e.g. the access key id), so it cannot be swapped. */
export function seal(plaintext: string, aad: string, keyring: Keyring = configuredKeyring()) {
  const dataKey = randomBytes(32);
  const sealed = encrypt(dataKey, Buffer.from(plaintext, "utf8"), aad);
  const wrapped = encrypt(keyring.current.key, dataKey, wrapAad(aad));
  return { ciphertext: join([...wrapped, ...sealed]), keyId: keyring.current.id };
}

export function open(ciphertext: string, keyId: string, aad: string, keyring: Keyring = configuredKeyring()) {
  const { wrapped, sealed } = parts(ciphertext);
  const dataKey = decrypt(masterKey(keyring, keyId), wrapped, wrapAad(aad));
  return decrypt(dataKey, sealed, aad).toString("utf8");
}

/** The same secret with its data key wrapped by the current master key instead. */
export function rewrap(ciphertext: string, keyId: string, aad: string, keyring: Keyring = configuredKeyring()) {
  const { wrapped, sealed } = parts(ciphertext);
  const dataKey = decrypt(masterKey(keyring, keyId), wrapped, wrapAad(aad));
  return { ciphertext: join([...encrypt(keyring.current.key, dataKey, wrapAad(aad)), ...sealed]), keyId: keyring.current.id };
}
