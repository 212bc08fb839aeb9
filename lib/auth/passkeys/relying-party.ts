import { env } from "@/lib/env";

/**
 * The WebAuthn relying party is the portal's public URL: its host names the credentials
 * (rpID) and its origin is the only one an assertion may come from.
 */
export function relyingParty() {
  const url = new URL(env().NEXTAUTH_URL);
  return { rpID: url.hostname, origin: url.origin, rpName: "Pullgate" };
}

/** The WebAuthn user handle (base64url): the user's id, so a discoverable credential names its user. */
export const userHandleOf = (userId: string) => Buffer.from(userId, "utf8").toString("base64url");
