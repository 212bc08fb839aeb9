import { Secret, TOTP } from "otpauth";
import { open, seal } from "@/lib/crypto/secret-box";

// RFC 6238 as every authenticator app reads it: 6 digits, 30-second steps, SHA-1.
export const TOTP_PERIOD = 30;
const DIGITS = 6;
// One step either side, for clocks a little off.
const WINDOW = 1;
const ISSUER = "Pullgate";

/** Binds a sealed TOTP secret to its user, so ciphertexts cannot be swapped between users. */
export const totpSecretAad = (userId: string) => `user-totp:${userId}`;

export function newSealedTotpSecret(userId: string) {
  return seal(new Secret({ size: 20 }).base32, totpSecretAad(userId));
}

export const openTotpSecret = (userId: string, ciphertext: string, keyId: string) => open(ciphertext, keyId, totpSecretAad(userId));

const totp = (secretBase32: string, label = "") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secretBase32) });

/** The otpauth:// URI an authenticator app reads from the QR code. */
export const totpUri = (secretBase32: string, email: string) => totp(secretBase32, email).toString();

/** A code of the shape an authenticator shows (spaces allowed), or null. */
export function totpCodeOf(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** The time step the code belongs to (within the window), or null when it is wrong. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}
