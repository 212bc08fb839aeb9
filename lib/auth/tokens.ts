import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret and the hash under which it is stored. */
export function newSecretToken(prefix = "") {
  const token = prefix + randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}
