import { randomBytes } from "node:crypto";

/** How long ECR's registry token lasts, unless the credentials that minted it end sooner. */
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Who minted a registry token, and until when it lets `docker` in. */
export type MintedToken = { accessKeyId: string; expiresAt: number };

type AuthorizationData = { authorizationToken?: string; expiresAt?: number; proxyEndpoint?: string };

/**
 * ECR's registry tokens as AWS mints them, where the emulator answers every caller with the same
 * token (`AWS:<registry>-auth-token`) and a 2015 expiry. Each token is remembered with the key
 * that minted it, so that a pull made with it later is judged as that key's principal.
 */
export function registryTokens(now: () => number) {
  const minted = new Map<string, MintedToken>();
  return {
    /**
     * GetAuthorizationToken's answer as AWS gives it: a token of its own for each call, valid 12
     * hours, or until the session that minted it ends if that is sooner (`sessionExpiresAt`).
     */
    mint(answer: string, accessKeyId: string, sessionExpiresAt = Infinity): string {
      const parsed = JSON.parse(answer) as { authorizationData?: AuthorizationData[] };
      const expiresAt = Math.min(now() + TOKEN_LIFETIME_MS, sessionExpiresAt);
      const authorizationData = (parsed.authorizationData ?? []).map((data) => {
        const [user = "AWS", password = ""] = Buffer.from(data.authorizationToken ?? "", "base64").toString("utf8").split(/:(.*)/s, 2);
        const unique = `${password}-${randomBytes(16).toString("hex")}`;
        const token = Buffer.from(`${user}:${unique}`).toString("base64");
        // `docker login` takes the password alone; the SDK's answer holds the whole token.
        minted.set(token, { accessKeyId, expiresAt });
        minted.set(unique, { accessKeyId, expiresAt });
        // awsJson timestamps are seconds since the epoch.
        return { ...data, authorizationToken: token, expiresAt: expiresAt / 1000 };
      });
      return JSON.stringify({ ...parsed, authorizationData });
    },
    /** Who minted the token (as answered, or its password), or null for one ECR never gave. */
    minted: (token: string): MintedToken | null => minted.get(token) ?? null,
  };
}
