import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey } from "node:crypto";

// A workload's OIDC issuer as a CI system or a cluster runs one: an RS256 key pair whose public
// half is published as a JWKS, and ID tokens signed with it. The tests' AWS oracle verifies
// AssumeRoleWithWebIdentity tokens against the JWKS registered for the issuer, as AWS fetches an
// issuer's keys; the issuer's host never needs to exist.

export type WorkloadIssuer = {
  issuer: string;
  jwks: { keys: JsonWebKey[] };
  /** An ID token of this issuer; `expiresInSeconds` may be negative (an expired token). */
  token(claims: { audience: string; subject: string; expiresInSeconds?: number; extra?: Record<string, unknown> }): string;
};

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export function workloadIssuer(issuer: string): WorkloadIssuer {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const signingKey = createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }));
  return {
    issuer,
    jwks: { keys: [jwk] },
    token({ audience, subject, expiresInSeconds = 300, extra = {} }) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
      const payload = base64url(JSON.stringify({ iss: issuer, aud: audience, sub: subject, iat: now, nbf: now - 5, exp: now + expiresInSeconds, ...extra }));
      const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), signingKey);
      return `${header}.${payload}.${base64url(signature)}`;
    },
  };
}
