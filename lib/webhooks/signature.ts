import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "Pullgate-Signature";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed too, so a captured request cannot be replayed later. */
export function signatureHeader(secret: string, body: string, t: number) {
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}
