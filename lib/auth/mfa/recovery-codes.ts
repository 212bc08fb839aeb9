import { createHash, randomBytes } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
// Ten lower-case letters and digits without look-alikes, shown as xxxxx-xxxxx.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const LENGTH = 10;

function recoveryCode() {
  const bytes = randomBytes(LENGTH);
  const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export const newRecoveryCodes = () => Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);

/** The form a code is stored and compared in: case, spaces and the dash do not matter. */
export function normalizedRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, "");
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

export const hashRecoveryCode = (normalized: string) => createHash("sha256").update(normalized).digest("hex");
