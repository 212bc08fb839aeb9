import * as oidc from "openid-client";
import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import type { SignInContext } from "../sign-in-context";
import { providerOf, ssoRedirectUri, tokenFailureOf } from "./oidc-client";
import { bindingHash } from "./sso-browser-binding";
import type { SsoFailureCode } from "./sso-failure-messages";
import { SsoFailure } from "./sso-failures";
import { ssoUser } from "./sso-user";

// What startSsoSignIn makes (openid-client's randomState): anything else is nobody's attempt.
const STATE_SHAPE = /^[A-Za-z0-9_-]{16,200}$/;

async function fail(failure: SsoFailureCode, context: SignInContext, customerId: string | null = null, detail?: string): Promise<never> {
  await recordAuditEvent(db, {
    actor: systemActor("sign-in"),
    action: "user.sign_in_failed",
    customerId,
    data: { method: "sso", reason: failure, ...(detail ? { detail } : {}), ip: context.ip, userAgent: context.userAgent },
  });
  throw new SsoFailure(failure);
}

/**
 * The provider's redirect back. The attempt is claimed once, by the browser that started it, while
 * unexpired; the code is exchanged with the PKCE verifier, and the ID token's signature, issuer,
 * audience, expiry and nonce are checked (openid-client). The user it stands for is then marked on
 * the attempt, for the sign-in to spend. Every refusal is audited and told plainly.
 */
export async function finishSsoSignIn(callbackSearch: URLSearchParams, binding: string | null, context: SignInContext) {
  const state = callbackSearch.get("state");
  const now = new Date();
  const claimed =
    state && binding && STATE_SHAPE.test(state)
      ? await db.ssoLoginAttempt.updateMany({ where: { id: state, browserHash: bindingHash(binding), completedAt: null, expiresAt: { gt: now } }, data: { completedAt: now } })
      : { count: 0 };
  if (claimed.count !== 1) return fail("expired", context);
  const attempt = await db.ssoLoginAttempt.findUniqueOrThrow({ where: { id: state! }, include: { connection: true } });
  const { connection } = attempt;
  if (!connection.enabled) return fail("disabled", context, connection.customerId);
  const error = callbackSearch.get("error");
  if (error) return fail("provider-refused", context, connection.customerId, error.slice(0, 60));

  const config = await providerOf(connection);
  // The address the provider redirected to, as registered (not as a proxy in front may rewrite it).
  const currentUrl = new URL(ssoRedirectUri());
  currentUrl.search = callbackSearch.toString();
  let claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.id,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (cause) {
    return fail(tokenFailureOf(cause), context, connection.customerId, cause instanceof Error ? cause.message.slice(0, 200) : undefined);
  }
  if (!claims) return fail("token-invalid", context, connection.customerId, "no ID token");
  const outcome = await ssoUser(connection, claims, context);
  if (!outcome.ok) return fail(outcome.reason, context, connection.customerId);
  await db.ssoLoginAttempt.update({ where: { id: attempt.id }, data: { userId: outcome.userId } });
}

