import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";

export type ChallengePurpose = "register" | "second-factor" | "sign-in";

const CHALLENGE_MS = 5 * 60_000;

/** A fresh challenge kept server-side: for one purpose, one user (or anyone, for a discoverable sign-in), five minutes. */
export async function issueChallenge(purpose: ChallengePurpose, userId: string | null) {
  const challenge = randomBytes(32).toString("base64url");
  const now = Date.now();
  await db.webAuthnChallenge.create({ data: { challenge, purpose, userId, expiresAt: new Date(now + CHALLENGE_MS) } });
  // Spent and expired challenges are of no use: each issue sweeps a few.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date(now - CHALLENGE_MS) } } });
  return challenge;
}

/**
 * Spends the challenge the browser signed, if the server issued it for this purpose and user,
 * unexpired and unused: one conditional update, so a response is accepted once at most.
 */
export async function spendChallenge(challenge: string, purpose: ChallengePurpose, userId: string | null) {
  if (typeof challenge !== "string" || challenge.length > 200) return false;
  const now = new Date();
  const spent = await db.webAuthnChallenge.updateMany({
    where: { challenge, purpose, userId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return spent.count === 1;
}
