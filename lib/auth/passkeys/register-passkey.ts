import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertIdShaped, textProblem } from "@/lib/validation/strict-input";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { mfaRequiredFor } from "../mfa/mfa-rules";
import type { SessionUser } from "../session";
import type { SignInContext } from "../sign-in-context";
import { issueChallenge, spendChallenge } from "./challenges";
import { registrationResponseOf } from "./credential-response";
import { relyingParty, userHandleOf } from "./relying-party";

const MAX_NAME = 64;
const MAX_PASSKEYS = 20;

const actorOf = (user: SessionUser) => ({ type: "USER" as const, id: user.id, label: user.email });

export type PasskeyListItem = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null };

export const listPasskeys = (userId: string): Promise<PasskeyListItem[]> =>
  db.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, createdAt: true, lastUsedAt: true } });

/** Options for navigator.credentials.create, with a challenge kept server-side for this user. */
export async function passkeyRegistrationOptions(user: SessionUser) {
  const { rpID, rpName } = relyingParty();
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  if (existing.length >= MAX_PASSKEYS) throw new AppError("CONFLICT", `You have ${MAX_PASSKEYS} passkeys already. Remove one first.`);
  const challenge = await issueChallenge("register", user.id);
  return generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: new Uint8Array(Buffer.from(userHandleOf(user.id), "base64url")),
    challenge: new Uint8Array(Buffer.from(challenge, "base64url")),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    // Discoverable when the authenticator can, so the passkey can also sign in on its own.
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

function passkeyName(input: string) {
  const name = input.trim();
  if (!name) throw new AppError("INVALID_INPUT", "Name the passkey, for example the device it is on.");
  const problem = textProblem(name, { max: MAX_NAME, multiline: false });
  if (problem) throw new AppError("INVALID_INPUT", `The name ${problem}.`);
  return name;
}

/**
 * Verifies the browser's answer against a challenge this server issued to this user (spent once)
 * and keeps the credential. The session that added it counts as verified, as after a TOTP
 * enrolment: a user who now has a second factor is not sent to prove it again.
 */
export async function registerPasskey(user: SessionUser, sid: string | null, nameInput: string, responseJson: unknown, context: SignInContext) {
  const name = passkeyName(nameInput);
  const response = registrationResponseOf(responseJson);
  const { rpID, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) => spendChallenge(challenge, "register", user.id),
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    verification = null;
  }
  if (!verification?.verified) throw new AppError("INVALID_INPUT", "The passkey could not be added. Try again.");
  const { credential } = verification.registrationInfo;
  try {
    return await db.$transaction(async (tx) => {
      const passkey = await tx.passkey.create({
        data: { userId: user.id, credentialId: credential.id, publicKey: Buffer.from(credential.publicKey), counter: credential.counter, transports: credential.transports ?? [], name },
        select: { id: true, name: true },
      });
      if (sid) await tx.verifiedSession.createMany({ data: [{ sid, userId: user.id, method: "enrolment" }], skipDuplicates: true });
      await auditSignInSecurity(tx, actorOf(user), "user.passkey_added", user, context, { passkeyId: passkey.id, name });
      return passkey;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This passkey is registered already.");
    throw error;
  }
}

/**
 * The user removes one of their passkeys. The user's row is locked first, so two removals cannot
 * both leave a user under a require-MFA rule without any second factor.
 */
export async function removePasskey(user: SessionUser, passkeyId: unknown, context: SignInContext) {
  assertIdShaped(passkeyId, "passkey");
  const required = await mfaRequiredFor(user);
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${user.id} FOR UPDATE`;
    const removed = await tx.passkey.deleteMany({ where: { id: passkeyId, userId: user.id } });
    if (removed.count !== 1) throw new AppError("NOT_FOUND", "Passkey not found. It may have been removed already.");
    if (required) {
      const left = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true, _count: { select: { passkeys: true } } } });
      if (!left.totpEnabledAt && left._count.passkeys === 0)
        throw new AppError("FORBIDDEN", "Your organisation requires two-factor authentication: keep this passkey or set up an authenticator app first.");
    }
    await auditSignInSecurity(tx, actorOf(user), "user.passkey_removed", user, context, { passkeyId });
  });
}
