import * as oidc from "openid-client";
import { db } from "@/lib/db";
import { emailDomain, emailOrNull } from "@/lib/validation/strict-input";
import { countClientRequest } from "../sign-in-rate-limit";
import type { SignInContext } from "../sign-in-context";
import { providerOf, ssoRedirectUri } from "./oidc-client";
import { newBrowserBinding } from "./sso-browser-binding";
import { SsoFailure } from "./sso-failures";

/** How long a person has at the provider before the attempt lapses. */
export const ATTEMPT_MS = 10 * 60_000;

export type SsoStart = { email: string } | { team: "vendor" };

/**
 * Sends the browser to the provider: the vendor team's, or the one whose verified domain the
 * email is in. State, nonce and PKCE verifier are made here and kept server-side with a hash of
 * the browser binding; the binding goes back to the browser as a cookie.
 */
export async function startSsoSignIn(start: SsoStart, context: SignInContext) {
  if (!(await countClientRequest("sso-start", context.ip))) throw new SsoFailure("rate-limited", "RATE_LIMITED");
  const connection = await connectionFor(start);
  if (!connection.enabled) throw new SsoFailure("disabled", "CONFLICT");
  const config = await providerOf(connection);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = newBrowserBinding();
  const now = Date.now();
  await db.ssoLoginAttempt.create({ data: { id: state, connectionId: connection.id, nonce, codeVerifier, browserHash: binding.hash, expiresAt: new Date(now + ATTEMPT_MS) } });
  // Lapsed attempts are of no use: each start sweeps them.
  await db.ssoLoginAttempt.deleteMany({ where: { expiresAt: { lt: new Date(now - ATTEMPT_MS) } } });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(),
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...("email" in start ? { login_hint: start.email } : {}),
  });
  return { url: url.href, binding: binding.token };
}

async function connectionFor(start: SsoStart) {
  if ("team" in start) {
    const connection = await db.ssoConnection.findUnique({ where: { scope: "vendor" } });
    if (!connection) throw new SsoFailure("team-not-set-up", "NOT_FOUND");
    return connection;
  }
  const email = emailOrNull(start.email);
  if (!email) throw new SsoFailure("invalid-email", "INVALID_INPUT");
  const domain = emailDomain(email);
  const routed = await db.ssoDomain.findFirst({ where: { domain, verifiedAt: { not: null } }, select: { connection: true } });
  if (!routed) throw new SsoFailure("not-set-up", "NOT_FOUND");
  return routed.connection;
}

