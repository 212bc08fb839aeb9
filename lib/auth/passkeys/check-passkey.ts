import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SignInContext } from "../sign-in-context";
import { countClientRequest } from "../sign-in-rate-limit";
import { issueChallenge, spendChallenge } from "./challenges";
import { authenticationResponseOf } from "./credential-response";
import { relyingParty, userHandleOf } from "./relying-party";

/** "second-factor": a known user proves the second step; "sign-in": a discoverable passkey alone, with user verification. */
export type PasskeyPurpose = "second-factor" | "sign-in";

export type PasskeyOutcome =
  | { ok: true; userId: string; passkeyId: string }
  | { ok: false; reason: "unknown-credential" | "invalid-assertion" | "counter-regression" | "replayed" };

/** Options for navigator.credentials.get, with a one-time challenge kept server-side. */
export async function passkeyAuthenticationOptions(purpose: PasskeyPurpose, userId: string | null) {
  const { rpID } = relyingParty();
  const forUser = purpose === "second-factor" ? userId : null;
  const allowCredentials = forUser
    ? (await db.passkey.findMany({ where: { userId: forUser }, select: { credentialId: true, transports: true } })).map((p) => ({ id: p.credentialId, transports: p.transports }))
    : undefined;
  const challenge = await issueChallenge(purpose, forUser);
  return generateAuthenticationOptions({
    rpID,
    allowCredentials,
    challenge: new Uint8Array(Buffer.from(challenge, "base64url")),
    // A passkey alone is two factors only when the authenticator verified its user (PIN, biometrics).
    userVerification: purpose === "sign-in" ? "required" : "preferred",
  });
}

/** Options for signing in with a passkey alone: anyone may ask, so each client address is limited. */
export async function passkeySignInOptions(context: SignInContext) {
  if (!(await countClientRequest("passkey-challenge", context.ip))) throw new AppError("RATE_LIMITED", "Too many passkey sign-in attempts. Wait 15 minutes, or use your password or an emailed link.");
  return passkeyAuthenticationOptions("sign-in", null);
}

/**
 * Checks an assertion: the credential must be known (and the user's own, for a second factor),
 * the challenge one this server issued for that purpose and user (spent once), the signature
 * valid over the portal's origin, and the signature counter must rise (unless the authenticator
 * keeps none). The new counter is stored only over the one that was checked, so two uses of one
 * assertion cannot both pass.
 */
export async function checkPasskeyAssertion(responseJson: unknown, purpose: PasskeyPurpose, userId: string | null): Promise<PasskeyOutcome> {
  const response = authenticationResponseOf(responseJson);
  const forUser = purpose === "second-factor" ? userId : null;
  if (purpose === "second-factor" && !forUser) return { ok: false, reason: "unknown-credential" };
  const passkey = await db.passkey.findFirst({
    where: { credentialId: response.id, ...(forUser ? { userId: forUser } : {}) },
    select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true, transports: true },
  });
  if (!passkey) return { ok: false, reason: "unknown-credential" };
  const handle = response.response.userHandle;
  if (handle && handle !== userHandleOf(passkey.userId)) return { ok: false, reason: "unknown-credential" };
  const { rpID, origin } = relyingParty();
  let spent = false;
  let newCounter: number;
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: async (challenge) => (spent = await spendChallenge(challenge, purpose, forUser)),
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: passkey.transports },
      requireUserVerification: purpose === "sign-in",
    });
    if (!verification.verified) return { ok: false, reason: "invalid-assertion" };
    newCounter = verification.authenticationInfo.newCounter;
  } catch (error) {
    if (!spent) return { ok: false, reason: "replayed" };
    return { ok: false, reason: error instanceof Error && /counter/i.test(error.message) ? "counter-regression" : "invalid-assertion" };
  }
  const used = await db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: BigInt(newCounter), lastUsedAt: new Date() },
  });
  if (used.count !== 1) return { ok: false, reason: "counter-regression" };
  return { ok: true, userId: passkey.userId, passkeyId: passkey.id };
}
