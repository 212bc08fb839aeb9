import { countInWindow } from "@/lib/rate-limit/fixed-window";
import { hashToken } from "./tokens";

/**
 * Sign-in attempts (passwords and link requests) allowed per window, per email address and per
 * client address. Well above what a person needs: the address limit stops a flood at one inbox or
 * account (the lockout already stops guessing), the client limit one source trying many accounts.
 */
export const SIGN_IN_RATE_LIMIT = { perAddress: 20, perClient: 100, windowMs: 15 * 60_000 };

/**
 * Counts one attempt for the address and, when known, the client; false once either is over its
 * limit. Keys are hashed, so the counters hold no address. The user table is not read: the answer
 * is the same for an address nobody has.
 */
export async function countSignInAttempt(email: string, client: string | null, now = new Date()): Promise<boolean> {
  const limits = [{ key: `sign-in:${hashToken(`address:${email}`)}`, limit: SIGN_IN_RATE_LIMIT.perAddress }];
  if (client) limits.push({ key: `sign-in:${hashToken(`client:${client}`)}`, limit: SIGN_IN_RATE_LIMIT.perClient });
  const counts = await countInWindow(
    limits.map((l) => l.key),
    SIGN_IN_RATE_LIMIT.windowMs,
    now,
  );
  return limits.every(({ key, limit }) => (counts.get(key) ?? 1) <= limit);
}

/**
 * Requests from one client address in a window that each leave a short-lived row behind (a passkey
 * sign-in challenge, an SSO authorization in flight): false once over the limit. Without a known
 * client address nothing is counted.
 */
export async function countClientRequest(kind: "passkey-challenge" | "sso-start", client: string | null, now = new Date()): Promise<boolean> {
  if (!client) return true;
  const key = `${kind}:${hashToken(`client:${client}`)}`;
  const counts = await countInWindow([key], SIGN_IN_RATE_LIMIT.windowMs, now);
  return (counts.get(key) ?? 1) <= SIGN_IN_RATE_LIMIT.perClient;
}
