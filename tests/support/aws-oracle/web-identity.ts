// AssumeRoleWithWebIdentity as STS answers it, which the emulator does not: it hands a session to
// any token for any role. STS verifies the token with the keys its issuer publishes, requires an
// IAM OIDC provider for the issuer in the role's account that accepts the token's audience, then
// lets the role's trust policy decide, with the token's claims as condition keys.
import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import type { AccountView } from "./account-view";
import { sessionTooLong, type Refusal } from "./aws-refusals";
import type { AwsRequest } from "./aws-request";
import { judgeWebIdentity, oidcIssuerKey, oidcProviderArn } from "./judge";

/** An issuer's signing keys, as its discovery document's jwks_uri serves them. */
export type Jwks = { keys: JsonWebKey[] };

type Jwt = { header: { alg?: string; kid?: string }; claims: { iss?: unknown; aud?: unknown; sub?: unknown; exp?: unknown }; signed: string; signature: Buffer };

const invalidToken = (message: string): Refusal => ({ code: "InvalidIdentityToken", message, status: 400 });
const NOT_VALIDATED = "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.";
const NOT_AUTHORIZED: Refusal = { code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithWebIdentity", status: 403 };

function decodeJwt(token: string): Jwt | null {
  const [header, claims, signature, ...rest] = token.split(".");
  if (!header || !claims || signature === undefined || rest.length > 0) return null;
  try {
    const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    return { header: json(header), claims: json(claims), signed: `${header}.${claims}`, signature: Buffer.from(signature, "base64url") };
  } catch {
    return null;
  }
}

/** Whether one of the issuer's keys (the one the token names, when it names one) signed the token; RS256 only. */
function signedBy(jwt: Jwt, jwks: Jwks) {
  if (jwt.header.alg !== "RS256") return false;
  const candidates = jwks.keys.filter((key) => jwt.header.kid === undefined || (key as { kid?: string }).kid === jwt.header.kid);
  return candidates.some((key) => verify("RSA-SHA256", Buffer.from(jwt.signed), createPublicKey({ key, format: "jwk" }), jwt.signature));
}

/**
 * The issuers whose keys the oracle holds, registered by the tests (AWS fetches them from the
 * issuer's discovery document; the tests' issuers' hosts are never contacted).
 */
export function webIdentityIssuers() {
  const keys = new Map<string, Jwks>();
  return {
    register: (issuer: string, jwks: Jwks) => void keys.set(issuer, jwks),
    keysOf: (issuer: string) => keys.get(issuer) ?? null,
  };
}
export type WebIdentityIssuers = ReturnType<typeof webIdentityIssuers>;

/**
 * STS's refusal of an AssumeRoleWithWebIdentity request, or null when it hands out the session.
 * In STS's order: a token that is not a JWT; no provider for its issuer in the role's account;
 * keys that do not verify it; a token expired (`nowMs`, the oracle's clock); an audience the
 * provider does not accept; the trust policy (a role that does not exist trusts nobody); a
 * session longer than the role allows.
 */
export async function webIdentityRefusal(request: AwsRequest, accounts: ReadonlyMap<string, AccountView>, issuers: WebIdentityIssuers, nowMs: number): Promise<Refusal | null> {
  const jwt = decodeJwt(String(request.params.WebIdentityToken ?? ""));
  const issuer = jwt?.claims.iss;
  if (!jwt || typeof issuer !== "string") return invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  const roleArn = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(String(request.params.RoleArn ?? ""));
  const account = roleArn ? (accounts.get(roleArn[1]!) ?? null) : null;
  const providerArn = oidcProviderArn(roleArn?.[1] ?? "", issuer);
  const provider = account && (await account.oidcProvider?.(providerArn));
  if (!roleArn || !account || !provider) return invalidToken(`No OpenIDConnect provider found in your account for ${issuer}`);
  const jwks = issuers.keysOf(issuer);
  if (!jwks) return invalidToken("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");
  if (!signedBy(jwt, jwks)) return invalidToken(NOT_VALIDATED);
  const nowSeconds = Math.floor(nowMs / 1000);
  if (typeof jwt.claims.exp !== "number") return invalidToken(NOT_VALIDATED);
  if (jwt.claims.exp <= nowSeconds) {
    return { code: "ExpiredTokenException", message: `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${jwt.claims.exp}`, status: 400 };
  }
  const audience = [jwt.claims.aud].flat().find((aud): aud is string => typeof aud === "string" && provider.clientIds.includes(aud));
  if (!audience) return invalidToken("Incorrect token audience");
  const claims = { aud: audience, ...(typeof jwt.claims.sub === "string" ? { sub: jwt.claims.sub } : {}) };
  const verdict = await judgeWebIdentity(request, accounts, { providerArn, issuerKey: oidcIssuerKey(issuer), claims });
  if (!verdict.allowed) return NOT_AUTHORIZED;
  const role = await account.role(roleArn[2]!);
  return sessionTooLong(request.params, role?.maxSessionSeconds ?? 3600);
}

/** A session the emulator opened for the role, as the account view hands it back. */
export type OpenedSession = { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date }; assumedRoleId: string; arn: string };

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** STS's answer (awsQuery XML) handing out the session, with what it read of the token. */
export function webIdentityAnswer(token: string, session: OpenedSession): string {
  const claims = decodeJwt(token)?.claims ?? {};
  const text = (value: unknown) => escapeXml(typeof value === "string" ? value : "");
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = session.credentials;
  return (
    `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>` +
    `<SubjectFromWebIdentityToken>${text(claims.sub)}</SubjectFromWebIdentityToken><Audience>${text([claims.aud].flat()[0])}</Audience>` +
    `<AssumedRoleUser><Arn>${escapeXml(session.arn)}</Arn><AssumedRoleId>${escapeXml(session.assumedRoleId)}</AssumedRoleId></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${escapeXml(sessionToken)}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `<Provider>${text(claims.iss)}</Provider></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>oracle</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`
  );
}
