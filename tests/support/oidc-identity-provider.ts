import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error -- oidc-provider ships no type declarations; the few parts used are typed below.
import Provider from "oidc-provider";

export type TestIdentityProvider = {
  /** http://127.0.0.1:<port> — discovery at `${issuer}/.well-known/openid-configuration` */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next authorization(s) sign in as; stays until changed. sub is stable per email. */
  signInAs(email: string, claims?: { email_verified?: boolean; name?: string }): void;
  /** Rewrites the id_token of the NEXT token-endpoint response only: the payload is changed by `change` and re-signed with the provider's own signing key (same kid), so only the claims are wrong (e.g. aud of another client, exp in the past). */
  tamperNextIdToken(change: (payload: Record<string, unknown>) => Record<string, unknown>): void;
  /** How many token requests it answered. */
  tokenRequests(): number;
  /** Stops listening (the IdP is down). */
  stop(): Promise<void>;
};

type Account = { sub: string; email: string; email_verified: boolean; name?: string };
type Grant = { addOIDCScope(scope: string): void; addOIDCClaims(claims: string[]): void; save(): Promise<string> };
type OidcContext = {
  client: { clientId: string };
  account: { accountId: string };
  requestParamOIDCScopes: Set<string>;
  requestParamClaims: Set<string>;
  provider: { Grant: new (fields: { clientId: string; accountId: string }) => Grant };
};
type KoaContext = { method: string; path: string; body: unknown; req: IncomingMessage; res: ServerResponse; oidc: OidcContext };
type Interaction = {
  params: { client_id: string };
  grantId?: string;
  session?: { accountId?: string };
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
};
type OidcProvider = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Session: { get(ctx: KoaContext): Promise<{ accountId?: string; destroy(): Promise<void> }> };
  Grant: (new (fields: { clientId: string; accountId: string }) => Grant) & { find(id: string): Promise<Grant | undefined> };
};

/** The provider's storage, one per instance: oidc-provider's own memory adapter is process-wide and warns on every start. */
function memoryAdapter() {
  const entries = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key)?.payload;
  };
  return class {
    constructor(private readonly model: string) {}
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      entries.set(`${this.model}:${id}`, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    }
    async find(id: string) {
      return live(`${this.model}:${id}`);
    }
    async findBy(field: string, value: string) {
      const key = [...entries.keys()].find((k) => k.startsWith(`${this.model}:`) && entries.get(k)!.payload[field] === value);
      return key ? live(key) : undefined;
    }
    async findByUid(uid: string) {
      return this.findBy("uid", uid);
    }
    async findByUserCode(userCode: string) {
      return this.findBy("userCode", userCode);
    }
    async consume(id: string) {
      const payload = live(`${this.model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      entries.delete(`${this.model}:${id}`);
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, { payload }] of entries) if (payload.grantId === grantId) entries.delete(key);
    }
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** Re-signs a JWT's changed payload with the same key and the original protected header, so only the claims are wrong. */
function resign(jwt: string, change: (payload: Record<string, unknown>) => Record<string, unknown>, key: KeyObject) {
  const [header, payload] = jwt.split(".") as [string, string];
  const changed = base64url(JSON.stringify(change(JSON.parse(Buffer.from(payload, "base64url").toString()))));
  return `${header}.${changed}.${base64url(sign("sha256", Buffer.from(`${header}.${changed}`), key))}`;
}

export async function startTestIdentityProvider(options: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}): Promise<TestIdentityProvider> {
  const clientId = options.clientId ?? "pullgate-test-client";
  const clientSecret = options.clientSecret ?? randomBytes(24).toString("base64url");
  const accounts = new Map<string, Account>();
  let current: Account | undefined;
  let tamper: ((payload: Record<string, unknown>) => Record<string, unknown>) | undefined;
  let tokenRequestCount = 0;

  // The issuer needs the port, so listen first and attach the provider afterwards.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const provider: OidcProvider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        // oidc-provider also accepts client_secret_post from a client registered for basic.
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Scope claims go into the ID token itself, which is what the portal reads.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    // Explicit lifetimes (seconds) keep the provider from noting each default it falls back to.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Grant: 3600, Session: 3600 },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      return account && { accountId: sub, claims: async () => ({ ...account }) };
    },
    // Consent is implied: every authorization gets a grant for exactly what it asked for.
    loadExistingGrant: async (ctx: KoaContext) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.account.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(" "));
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    // A browser keeps its provider session: when signInAs has changed since, end that session
    // first, so the authorization signs in afresh instead of asking to log out the old account.
    if (ctx.path === "/auth") {
      const session = await provider.Session.get(ctx);
      if (session.accountId && session.accountId !== current?.sub) await session.destroy();
    }
    await next();
    if (ctx.path !== "/token") return;
    tokenRequestCount += 1;
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (tamper && typeof body?.id_token === "string") {
      ctx.body = { ...body, id_token: resign(body.id_token, tamper, privateKey) };
      tamper = undefined;
    }
  });

  // No screens: the interaction signs in as the signInAs account (and consents) with redirects only.
  async function interact(req: IncomingMessage, res: ServerResponse) {
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.prompt.name === "login") {
        if (!current) throw new Error("no account to sign in as: call signInAs(email) first");
        await provider.interactionFinished(req, res, { login: { accountId: current.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      const accountId = interaction.session?.accountId;
      if (interaction.prompt.name !== "consent" || !accountId) throw new Error(`unexpected prompt ${interaction.prompt.name}`);
      const grant =
        (interaction.grantId && (await provider.Grant.find(interaction.grantId))) ||
        new provider.Grant({ clientId: interaction.params.client_id, accountId });
      grant.addOIDCScope((interaction.prompt.details.missingOIDCScope ?? []).join(" "));
      grant.addOIDCClaims(interaction.prompt.details.missingOIDCClaims ?? []);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(`test identity provider: ${(error as Error).message}`);
    }
  }

  const handle = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith("/interaction/")) void interact(req, res);
    else handle(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(email, claims = {}) {
      const sub = `user-${createHash("sha256").update(email).digest("hex").slice(0, 24)}`;
      current = { sub, email, email_verified: claims.email_verified ?? true, ...(claims.name === undefined ? {} : { name: claims.name }) };
      accounts.set(sub, current);
    },
    tamperNextIdToken(change) {
      tamper = change;
    },
    tokenRequests: () => tokenRequestCount,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients' keep-alive connections would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

/** Browserless: GETs the authorization URL and follows the provider's own redirects (its interaction signs in automatically as the signInAs account), carrying the provider's cookies, and returns the first redirect whose target is NOT on the provider's origin (i.e. the client's redirect_uri with code and state, or with error) — without fetching it. */
export async function followAuthorization(authorizationUrl: string): Promise<URL> {
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  // One flow on one origin: a jar keyed by name is enough (the provider's cookie paths never collide).
  const cookies = new Map<string, string>();
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      redirect: "manual",
      headers: cookies.size ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") } : {},
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const name = pair.slice(0, pair.indexOf("=")).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(pair.indexOf("=") + 1).trim());
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`authorization stopped at ${url} with ${response.status}: ${(await response.text()).slice(0, 500)}`);
    }
    await response.body?.cancel();
    url = new URL(location, url);
    if (url.origin !== origin) return url;
  }
  throw new Error(`authorization did not leave ${origin} after 20 redirects`);
}
