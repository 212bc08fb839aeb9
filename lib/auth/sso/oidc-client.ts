import * as oidc from "openid-client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { urlHost } from "@/lib/http/outbound-address";
import { AddressNotAllowed, publicFetch } from "@/lib/http/public-fetch";
import { log } from "@/lib/log";
import { openClientSecret } from "./sealed-client-secret";
import type { SsoFailureCode } from "./sso-failure-messages";
import { SsoFailure } from "./sso-failures";

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 512 * 1024;

/** Where every provider sends the browser back: one address for all connections (the state names the attempt). */
export const ssoRedirectUri = () => new URL("/api/sso/callback", env().NEXTAUTH_URL).toString();

export type ProviderSettings = { issuer: string; clientId: string; clientSecret: string };

/**
 * The provider's configuration, read from its discovery document through a fetch that reaches
 * public addresses only (the issuer is typed in by a customer). A provider that cannot be read
 * is a clear 503 that says what was tried; the detail goes to the operator's log only.
 */
export async function discoverProvider({ issuer, clientId, clientSecret }: ProviderSettings): Promise<oidc.Configuration> {
  const allowedHosts = env().PULLGATE_SSO_ALLOWED_HOSTS;
  const insecure = allowedHosts.includes(urlHost(new URL(issuer)));
  try {
    return await oidc.discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
      [oidc.customFetch]: publicFetch({ allowedHosts, timeoutMs: TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES }),
      timeout: TIMEOUT_MS / 1000,
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    log().warn({ issuer, err: error, detail: error instanceof AddressNotAllowed ? error.detail : undefined }, "identity provider discovery failed");
    throw new AppError("UNAVAILABLE", `The identity provider at ${issuer} could not be reached or did not answer as an OpenID provider (${reasonOf(error)}).`);
  }
}

/** The provider of a stored connection, for a sign-in: one that cannot be read is the page's "unavailable". */
export async function providerOf(connection: { scope: string; issuer: string; clientId: string; clientSecretCiphertext: string; clientSecretKeyId: string }) {
  try {
    return await discoverProvider({ issuer: connection.issuer, clientId: connection.clientId, clientSecret: openClientSecret(connection) });
  } catch (error) {
    if (error instanceof AppError) throw new SsoFailure("unavailable", "UNAVAILABLE");
    throw error;
  }
}

/** A short category of why the provider could not be read, fit to show: never an address or a stack. */
function reasonOf(error: unknown): string {
  if (error instanceof AddressNotAllowed) return "its address is not public";
  if (error instanceof oidc.ResponseBodyError) return `it answered ${error.error}`;
  if (error instanceof oidc.ClientError) return "its discovery document is not valid for this issuer";
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "it did not answer in time";
  return "it could not be reached";
}

/** Why a token exchange was refused, as the sign-in page tells it. */
export function tokenFailureOf(error: unknown): SsoFailureCode {
  const code = error instanceof oidc.ClientError ? ((error as { code?: string }).code ?? "") : "";
  if (code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED") return "token-expired";
  // openid-client wraps oauth4webapi's error, whose cause names the claim that did not match.
  const claim = ((error as { cause?: { cause?: { claim?: string } } }).cause?.cause ?? {}).claim;
  if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && claim === "aud") return "token-audience";
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return "provider-refused";
  return "token-invalid";
}
