// OpenID Connect single sign-on (issue 19, point 2) against a real OpenID provider on loopback
// (oidc-provider): discovery, PKCE, state and nonce, the ID token's signature, issuer, audience and
// expiry; just-in-time users for the vendor team and a customer organisation; domains routed only
// once verified, and never shared; every refusal told plainly and audited with IP and user agent.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as callbackRoute } from "@/app/api/sso/callback/route";
import { POST as startRoute } from "@/app/api/sso/start/route";
import { systemActor } from "@/lib/audit/actor";
import { signInWithSso } from "@/lib/auth/sign-in";
import type { SignInContext } from "@/lib/auth/sign-in-context";
import { removeSsoConnection, saveSsoConnection, setVendorSsoOnly, verifySsoDomain } from "@/lib/auth/sso/configure-sso";
import type { SsoConnectionInput } from "@/lib/auth/sso/connection-input";
import { finishSsoSignIn } from "@/lib/auth/sso/finish-sso-sign-in";
import { ssoRedirectUri } from "@/lib/auth/sso/oidc-client";
import { ssoBindingCookie } from "@/lib/auth/sso/sso-browser-binding";
import type { SsoScope } from "@/lib/auth/sso/sso-scope";
import { startSsoSignIn, type SsoStart } from "@/lib/auth/sso/start-sso-sign-in";
import { db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { followAuthorization, startTestIdentityProvider, type TestIdentityProvider } from "../support/oidc-identity-provider";
import { unique } from "../support/seed";

const context: SignInContext = { ip: "203.0.113.44", userAgent: "SsoTest/1.0" };
// The routes read the request's headers and cookies through next/headers.
const requestCookies = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "user-agent": "SsoTest/1.0" }),
  cookies: async () => ({ get: (name: string) => (requestCookies.has(name) ? { name, value: requestCookies.get(name)! } : undefined) }),
}));
const vendor: SsoScope = { kind: "vendor" };
const actor = systemActor("sso test");

let idp: TestIdentityProvider;
beforeAll(async () => {
  idp = await startTestIdentityProvider({ redirectUris: [ssoRedirectUri()] });
});
afterAll(async () => {
  // The vendor team's connection is one for the whole database: gone after this file.
  await db.ssoConnection.deleteMany({ where: { scope: "vendor" } });
  await idp.stop();
  await closePools();
});

const domainOf = (label: string) => `${unique(label).toLowerCase().replace(/[^a-z0-9-]/g, "")}.example`;

function settings(domains: string[], extra: Partial<SsoConnectionInput> = {}): SsoConnectionInput {
  return { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, domains: domains.join(", "), enabled: "on", ...extra };
}

/** The whole round trip a browser makes: start, the provider, the callback, the sign-in. */
async function signInThrough(start: SsoStart, as: string, claims?: { email_verified?: boolean; name?: string }) {
  idp.signInAs(as, claims);
  const { url, binding } = await startSsoSignIn(start, context);
  const callback = await followAuthorization(url);
  await finishSsoSignIn(callback.searchParams, binding, context);
  return signInWithSso(`other=1; ${ssoBindingCookie()}=${binding}`, context);
}

/** The callback's refusal, as the sign-in page gets it. */
async function refusalOf(start: SsoStart, as: string, before?: () => void) {
  idp.signInAs(as);
  const { url, binding } = await startSsoSignIn(start, context);
  const callback = await followAuthorization(url);
  before?.();
  return finishSsoSignIn(callback.searchParams, binding, context).then(
    () => null,
    (error: { failure?: string }) => error.failure,
  );
}

async function newCustomer() {
  const customer = await db.customer.create({ data: { name: unique("SSO customer") } });
  return customer;
}

describe("single sign-on for the vendor team", () => {
  it("signs a new staff member in just in time with the default role, finds them by subject next time, and records how", async () => {
    const domain = domainOf("vendor");
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain], { defaultRole: "VENDOR_ADMIN" }), verifiedByVendor: true });
    const email = `new.admin@${domain}`;
    const first = await signInThrough({ team: "vendor" }, email, { name: "New Admin" });
    expect(first).toMatchObject({ email, role: "VENDOR_ADMIN", customerId: null });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { verifiedSessions: true } });
    expect(user).toMatchObject({ name: "New Admin", lastSignInMethod: "sso" });
    // The provider stands for the second factor: the session is verified at once.
    expect(user.verifiedSessions.map((s) => [s.sid, s.method])).toContainEqual([first!.sid, "sso"]);

    const again = await signInThrough({ team: "vendor" }, email);
    expect(again?.id).toBe(user.id);
    expect(await db.user.count({ where: { email } })).toBe(1);

    const events = await db.auditEvent.findMany({ where: { action: { in: ["user.created_by_sso", "user.signed_in"] }, data: { path: ["email"], equals: email } } });
    expect(events.map((e) => e.action).sort()).toEqual(["user.created_by_sso", "user.signed_in", "user.signed_in"]);
    for (const event of events) expect(event.data).toMatchObject({ ip: context.ip, userAgent: context.userAgent });
    expect((await db.ssoConnection.findUniqueOrThrow({ where: { scope: "vendor" } })).lastSignInAt).not.toBeNull();
  });

  it("links an existing staff member by email, and routes the team's domain from the email as well", async () => {
    const domain = domainOf("vendor-routed");
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain]), verifiedByVendor: true });
    const owner = await db.user.create({ data: { email: `owner@${domain}`, role: "VENDOR_OWNER" } });
    const signedIn = await signInThrough({ email: `Owner@${domain.toUpperCase()}` }, owner.email);
    expect(signedIn).toMatchObject({ id: owner.id, role: "VENDOR_OWNER" });
    expect(await db.ssoIdentity.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("spends a finished sign-in once, only in the browser that started it, and never a callback twice", async () => {
    const domain = domainOf("vendor-once");
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain]), verifiedByVendor: true });
    idp.signInAs(`once@${domain}`);
    const { url, binding } = await startSsoSignIn({ team: "vendor" }, context);
    const callback = await followAuthorization(url);
    // Another browser (no binding, or its own) gets nowhere with this browser's code and state.
    await expect(finishSsoSignIn(callback.searchParams, null, context)).rejects.toMatchObject({ failure: "expired", status: 403 });
    await expect(finishSsoSignIn(callback.searchParams, "someone-elses-binding", context)).rejects.toMatchObject({ failure: "expired" });
    await finishSsoSignIn(callback.searchParams, binding, context);
    await expect(finishSsoSignIn(callback.searchParams, binding, context)).rejects.toMatchObject({ failure: "expired" });
    const cookie = `${ssoBindingCookie()}=${binding}`;
    expect(await signInWithSso("", context)).toBeNull();
    const results = await Promise.all([signInWithSso(cookie, context), signInWithSso(cookie, context)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await signInWithSso(cookie, context)).toBeNull();
  });

  it("refuses an ID token for another audience or past its expiry, and creates nobody", async () => {
    const domain = domainOf("vendor-tokens");
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain]), verifiedByVendor: true });
    const audience = await refusalOf({ team: "vendor" }, `aud@${domain}`, () => idp.tamperNextIdToken((p) => ({ ...p, aud: "another-app" })));
    expect(audience).toBe("token-audience");
    const expired = await refusalOf({ team: "vendor" }, `exp@${domain}`, () => idp.tamperNextIdToken((p) => ({ ...p, exp: Math.floor(Date.now() / 1000) - 3600 })));
    expect(expired).toBe("token-expired");
    const wrongNonce = await refusalOf({ team: "vendor" }, `nonce@${domain}`, () => idp.tamperNextIdToken((p) => ({ ...p, nonce: "replayed" })));
    expect(wrongNonce).toBe("token-invalid");
    expect(await db.user.count({ where: { email: { endsWith: `@${domain}` } } })).toBe(0);
    const failures = await db.auditEvent.findMany({ where: { action: "user.sign_in_failed", data: { path: ["method"], equals: "sso" }, at: { gt: new Date(Date.now() - 60_000) } } });
    expect(failures.map((f) => (f.data as { reason: string }).reason)).toEqual(expect.arrayContaining(["token-audience", "token-expired", "token-invalid"]));
    expect(failures[0]!.data).toMatchObject({ ip: context.ip, userAgent: context.userAgent });
  });

  it("turns other sign-in methods off only once SSO has signed someone in", async () => {
    await db.ssoConnection.deleteMany({ where: { scope: "vendor" } });
    const domain = domainOf("vendor-only");
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain]), verifiedByVendor: true });
    await expect(setVendorSsoOnly({ actor, on: true, context })).rejects.toMatchObject({ code: "CONFLICT" });
    await signInThrough({ team: "vendor" }, `first@${domain}`);
    // Turning it on (and what it refuses) is shown end to end in tests/e2e/sso.spec.ts: here other
    // files sign staff in with passwords meanwhile. Turning it off always works.
    await setVendorSsoOnly({ actor, on: false, context });
    await saveSsoConnection({ actor, scope: vendor, context, input: settings([domain], { enabled: "off" }), verifiedByVendor: true });
    expect(await startSsoSignIn({ team: "vendor" }, context).catch((e: { failure: string }) => e.failure)).toBe("disabled");
  });
});

describe("single sign-on for a customer organisation", () => {
  it("routes the organisation's domain only once the vendor verified it, and makes new users members", async () => {
    const customer = await newCustomer();
    const domain = domainOf("customer");
    const scope: SsoScope = { kind: "customer", customerId: customer.id };
    await saveSsoConnection({ actor, scope, context, input: settings([domain], { defaultRole: "VENDOR_ADMIN" }), verifiedByVendor: false });
    const email = `member@${domain}`;
    await expect(startSsoSignIn({ email }, context)).rejects.toMatchObject({ failure: "not-set-up", status: 404 });
    await expect(verifySsoDomain({ actor, customerId: (await newCustomer()).id, domain, context })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await verifySsoDomain({ actor, customerId: customer.id, domain, context });
    const signedIn = await signInThrough({ email }, email);
    // The vendor role asked for is ignored: a customer's provider makes members.
    expect(signedIn).toMatchObject({ email, role: "CUSTOMER_MEMBER", customerId: customer.id });
    expect(await db.auditEvent.count({ where: { action: "sso.domain_verified", customerId: customer.id } })).toBe(1);
  });

  it("refuses an address of another organisation, outside its domains, or that the provider did not verify", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const domain = domainOf("strict");
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: customer.id }, context, input: settings([domain]), verifiedByVendor: true });
    const taken = await db.user.create({ data: { email: `taken@${domain}`, role: "CUSTOMER_OWNER", customerId: other.id } });
    const start = { email: `anyone@${domain}` };
    expect(await refusalOf(start, taken.email)).toBe("other-organisation");
    expect(await refusalOf(start, `someone@elsewhere-${domain}`)).toBe("email-not-allowed");
    idp.signInAs(`unverified@${domain}`, { email_verified: false });
    const { url, binding } = await startSsoSignIn(start, context);
    await expect(finishSsoSignIn((await followAuthorization(url)).searchParams, binding, context)).rejects.toMatchObject({ failure: "email-not-allowed" });
    expect(await db.user.findUniqueOrThrow({ where: { id: taken.id } })).toMatchObject({ customerId: other.id, lastSignInMethod: null });
    expect(await db.user.count({ where: { email: `unverified@${domain}` } })).toBe(0);
  });

  it("gives a domain to one organisation only, refusing the second with nothing saved", async () => {
    const first = await newCustomer();
    const second = await newCustomer();
    const domain = domainOf("shared");
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: first.id }, context, input: settings([domain]), verifiedByVendor: false });
    await expect(
      saveSsoConnection({ actor, scope: { kind: "customer", customerId: second.id }, context, input: settings([domain]), verifiedByVendor: false }),
    ).rejects.toMatchObject({ code: "CONFLICT", status: 409 });
    expect(await db.ssoConnection.count({ where: { customerId: second.id } })).toBe(0);
    expect((await db.ssoDomain.findUniqueOrThrow({ where: { domain } })).connectionId).toBe((await db.ssoConnection.findUniqueOrThrow({ where: { customerId: first.id } })).id);
  });

  it("creates one member when the same new person signs in twice at once", async () => {
    const customer = await newCustomer();
    const domain = domainOf("race");
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: customer.id }, context, input: settings([domain]), verifiedByVendor: true });
    const email = `twice@${domain}`;
    idp.signInAs(email);
    const flows = await Promise.all([0, 1].map(() => startSsoSignIn({ email }, context)));
    const callbacks = await Promise.all(flows.map((f) => followAuthorization(f.url)));
    await Promise.all(callbacks.map((c, i) => finishSsoSignIn(c.searchParams, flows[i]!.binding, context)));
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await db.ssoIdentity.count({ where: { user: { email } } })).toBe(1);
  });
});

describe("single sign-on settings", () => {
  it("keep the client secret sealed and never shown, and a blank one keeps it", async () => {
    const customer = await newCustomer();
    const domain = domainOf("sealed");
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: customer.id }, context, input: settings([domain]), verifiedByVendor: true });
    const stored = await db.ssoConnection.findUniqueOrThrow({ where: { customerId: customer.id } });
    expect(stored.clientSecretCiphertext).not.toContain(idp.clientSecret);
    // A blank secret keeps the stored one, and sign-in still works with it.
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: customer.id }, context, input: settings([domain], { clientSecret: "" }), verifiedByVendor: true });
    expect((await db.ssoConnection.findUniqueOrThrow({ where: { customerId: customer.id } })).clientSecretCiphertext).toBe(stored.clientSecretCiphertext);
    expect(await signInThrough({ email: `sealed@${domain}` }, `sealed@${domain}`)).not.toBeNull();
    const audit = await db.auditEvent.findMany({ where: { action: "sso.configured", customerId: customer.id } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit.map((a) => a.data))).not.toContain(idp.clientSecret);
    expect(audit[0]!.data).toMatchObject({ ip: context.ip, userAgent: context.userAgent });
  });

  it("refuse a provider that is down or is no OpenID provider, with a clear message, and change nothing", async () => {
    const customer = await newCustomer();
    const scope: SsoScope = { kind: "customer", customerId: customer.id };
    const domain = domainOf("down");
    const down = await startTestIdentityProvider({ redirectUris: [ssoRedirectUri()] });
    await down.stop();
    await expect(saveSsoConnection({ actor, scope, context, input: { ...settings([domain]), issuer: down.issuer }, verifiedByVendor: true })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining(`The identity provider at ${down.issuer} could not be reached`),
    });
    await expect(
      saveSsoConnection({ actor, scope, context, input: { ...settings([domain]), issuer: "https://10.0.0.5/realms/x" }, verifiedByVendor: true }),
    ).rejects.toThrow(/must not point to a private, loopback or other internal address/);
    await expect(saveSsoConnection({ actor, scope, context, input: { ...settings([domain]), domains: "not a domain" }, verifiedByVendor: true })).rejects.toThrow(/not a domain name/);
    expect(await db.ssoConnection.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("tell a person plainly when the provider went down or was turned off, and keep the organisation's other sign-in methods", async () => {
    const customer = await newCustomer();
    const scope: SsoScope = { kind: "customer", customerId: customer.id };
    const domain = domainOf("gone");
    const flaky = await startTestIdentityProvider({ redirectUris: [ssoRedirectUri()] });
    await saveSsoConnection({ actor, scope, context, input: { ...settings([domain]), issuer: flaky.issuer, clientId: flaky.clientId, clientSecret: flaky.clientSecret }, verifiedByVendor: true });
    await flaky.stop();
    await expect(startSsoSignIn({ email: `a@${domain}` }, context)).rejects.toMatchObject({ failure: "unavailable", status: 503 });
    await db.ssoConnection.update({ where: { customerId: customer.id }, data: { enabled: false } });
    await expect(startSsoSignIn({ email: `a@${domain}` }, context)).rejects.toMatchObject({ failure: "disabled", status: 409 });
    await removeSsoConnection({ actor, scope, context });
    await expect(startSsoSignIn({ email: `a@${domain}` }, context)).rejects.toMatchObject({ failure: "not-set-up" });
    expect(await db.auditEvent.count({ where: { action: "sso.removed", customerId: customer.id } })).toBe(1);
  });
});

describe("single sign-on routes", () => {
  const portal = new URL(ssoRedirectUri()).origin;
  const start = (body: string, headers: Record<string, string> = { origin: portal }) =>
    startRoute(new Request(`${portal}/api/sso/start`, { method: "POST", body, headers: { host: new URL(portal).host, "content-type": "application/x-www-form-urlencoded", ...headers } }));

  it("start a sign-in with the binding cookie set, and refuse another site, a malformed or oversized form with a 4xx", async () => {
    const domain = domainOf("routes");
    const customer = await newCustomer();
    await saveSsoConnection({ actor, scope: { kind: "customer", customerId: customer.id }, context, input: settings([domain]), verifiedByVendor: true });
    const ok = await start(`email=someone%40${domain}`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { url: string }).url).toMatch(new RegExp(`^${idp.issuer}/`));
    expect(ok.headers.get("set-cookie")).toMatch(new RegExp(`^${ssoBindingCookie()}=[A-Za-z0-9_-]{40,}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`));

    expect((await start(`email=a%40${domain}`, { origin: "https://evil.example" })).status).toBe(403);
    for (const [body, status, sso] of [
      ["email=a%00b%40example.com", 422, "invalid-email"],
      ["email=not-an-email", 422, "invalid-email"],
      [`email=${"a".repeat(5000)}`, 413, "invalid-email"],
      ["email=a%40unknown-domain.example", 404, "not-set-up"],
    ] as const) {
      const res = await start(body);
      expect([res.status, await res.json()], body.slice(0, 40)).toEqual([status, { sso }]);
    }
  });

  it("send a callback that is not this browser's, or malformed, back to the sign-in page with a reason", async () => {
    requestCookies.clear();
    for (const query of ["", "?state=%00&code=x", `?state=${"A".repeat(43)}&code=x`, "?error=access_denied"]) {
      const res = await callbackRoute(new Request(`${portal}/api/sso/callback${query}`));
      expect([res.status, res.headers.get("location")], query).toEqual([303, `${portal}/login?sso=expired`]);
    }
  });
});
