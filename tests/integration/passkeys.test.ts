// Passkeys (issue 19, points 1 and 3): registered from the security page against a server-kept
// challenge, used as a second factor (the user's own credential, a rising counter, each challenge
// once), or alone to sign in (discoverable, user verification required), which records a verified
// session and the sign-in method; removals and owner resets are audited.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { passkeyRegistrationOptionsAction, registerPasskeyAction, removePasskeyAction } from "@/app/(auth)/account/security/actions";
import { passkeySignInOptionsAction } from "@/app/(auth)/login/actions";
import { passkeySecondFactorOptionsAction, verifyPasskeySecondFactorAction } from "@/app/(auth)/login/second-factor/actions";
import { resetTeamUserMfaAction } from "@/app/(customer)/portal/team/actions";
import { authOptions } from "@/lib/auth/options";
import { relyingParty } from "@/lib/auth/passkeys/relying-party";
import { currentUser, pendingSecondFactor, signInPath } from "@/lib/auth/session";
import { hashPassword } from "@/lib/auth/password";
import { passkeySignInOptions } from "@/lib/auth/passkeys/check-passkey";
import { signInWithPasskey, signInWithPassword } from "@/lib/auth/sign-in";
import { SIGN_IN_RATE_LIMIT } from "@/lib/auth/sign-in-rate-limit";
import { db } from "@/lib/db";
import { listTeamForVendor } from "@/lib/users/list-team";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";
import { awayFromSignInWindowEnd } from "../support/rate-window";
import { SoftwareAuthenticator } from "../support/software-authenticator";

const IP = "203.0.113.78";
const AGENT = "PasskeyTest/1.0";
vi.hoisted(() => {
  process.env.PULLGATE_TRUSTED_PROXIES = "10.0.0.1";
});
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.78, 10.0.0.1", "user-agent": "PasskeyTest/1.0" }),
}));

afterEach(async () => {
  await db.vendorSettings.deleteMany();
});
afterAll(async () => {
  await closePools();
});

type User = { id: string; email: string; name: string | null; role: UserRole; sessionEpoch: number; customerId: string | null };
type Options = { challenge: string; user?: { id: string } };

const newSid = () => randomBytes(16).toString("base64url");
const fresh = (u: { id: string }) => db.user.findUniqueOrThrow({ where: { id: u.id } }) as Promise<User>;
const customer = (requireMfa = false) => db.customer.create({ data: { name: unique("Passkey customer"), requireMfa } });
const user = (role: UserRole, customerId?: string) =>
  db.user.create({ data: { email: `${unique(role.toLowerCase())}@example.com`, role, customerId } }) as Promise<User>;
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const authenticator = (opts: { userVerified?: boolean } = {}) => new SoftwareAuthenticator(relyingParty().rpID, relyingParty().origin, opts);
const lastAudit = (action: string, userId: string) =>
  db.auditEvent.findFirstOrThrow({ where: { action, data: { path: ["userId"], equals: userId } }, orderBy: { id: "desc" } });

async function optionsOf(action: () => Promise<{ ok: boolean; data?: { options: unknown } }>): Promise<Options> {
  const result = await action();
  if (!result.ok || !result.data) throw new Error(`no options: ${JSON.stringify(result)}`);
  return result.data.options as Options;
}

/** Registers a passkey the way the security page does, in a session of its own. */
async function register(u: User, key = authenticator(), sid = newSid()) {
  signInAs(await fresh(u), { sid });
  const options = await optionsOf(passkeyRegistrationOptionsAction);
  const result = await registerPasskeyAction(null, form({ name: "Laptop", response: JSON.stringify(key.register(options)) }));
  if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return key;
}

/** A new sign-in (first factor done) that owes its second factor. */
async function newSignIn(u: User) {
  const sid = newSid();
  signInAs(await fresh(u), { sid });
  return sid;
}

describe("passkey registration", () => {
  it("keeps the credential against a server-issued challenge, audits it, and the adding session stays signed in", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const key = await register(u);
    const row = await db.passkey.findUniqueOrThrow({ where: { credentialId: key.id } });
    expect(row).toMatchObject({ userId: u.id, name: "Laptop", transports: ["internal"] });
    expect(row.publicKey.length).toBeGreaterThan(60);
    expect((await lastAudit("user.passkey_added", u.id)).data).toMatchObject({ name: "Laptop", ip: IP, userAgent: AGENT });
    expect(await currentUser()).toMatchObject({ id: u.id });
  });

  it("refuses a response to a challenge the server did not issue, and a challenge used twice", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    signInAs(await fresh(u), { sid: newSid() });
    const forged = authenticator().register({ challenge: randomBytes(32).toString("base64url") });
    expect(await registerPasskeyAction(null, form({ name: "Forged", response: JSON.stringify(forged) }))).toMatchObject({ ok: false });
    const options = await optionsOf(passkeyRegistrationOptionsAction);
    expect(await registerPasskeyAction(null, form({ name: "One", response: JSON.stringify(authenticator().register(options)) }))).toMatchObject({ ok: true });
    expect(await registerPasskeyAction(null, form({ name: "Two", response: JSON.stringify(authenticator().register(options)) }))).toMatchObject({ ok: false });
    expect(await db.passkey.count({ where: { userId: u.id } })).toBe(1);
  });

  it("refuses another user's challenge, malformed answers and a signed-out visitor", async () => {
    const a = await user("CUSTOMER_MEMBER", (await customer()).id);
    const b = await user("CUSTOMER_MEMBER", (await customer()).id);
    signInAs(await fresh(a), { sid: newSid() });
    const aOptions = await optionsOf(passkeyRegistrationOptionsAction);
    signInAs(await fresh(b), { sid: newSid() });
    expect(await registerPasskeyAction(null, form({ name: "Stolen", response: JSON.stringify(authenticator().register(aOptions)) }))).toMatchObject({ ok: false });
    for (const response of ["", "{", "[]", JSON.stringify({ id: "x", rawId: "x", type: "public-key", response: {} }), "x".repeat(40_000)])
      expect(await registerPasskeyAction(null, form({ name: "Bad", response }))).toMatchObject({ ok: false });
    signInAs(null);
    expect(await passkeyRegistrationOptionsAction()).toMatchObject({ ok: false });
    expect(await db.passkey.count({ where: { userId: { in: [a.id, b.id] } } })).toBe(0);
  });

  it("removes only the user's own passkey, audited, and not the last factor under a rule", async () => {
    const c = await customer();
    const u = await user("CUSTOMER_MEMBER", c.id);
    const other = await user("CUSTOMER_MEMBER", c.id);
    const key = await register(u);
    const otherKey = await register(other);
    const otherRow = await db.passkey.findUniqueOrThrow({ where: { credentialId: otherKey.id } });
    // A new sign-in, verified with the passkey.
    await newSignIn(u);
    const options = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(key.assert(options)) }))).toMatchObject({ ok: true });
    expect(await removePasskeyAction(null, form({ passkeyId: otherRow.id }))).toMatchObject({ ok: false });
    expect(await db.passkey.count({ where: { id: otherRow.id } })).toBe(1);
    const own = await db.passkey.findUniqueOrThrow({ where: { credentialId: key.id } });
    await db.customer.update({ where: { id: c.id }, data: { requireMfa: true } });
    expect(await removePasskeyAction(null, form({ passkeyId: own.id }))).toMatchObject({ ok: false });
    await db.customer.update({ where: { id: c.id }, data: { requireMfa: false } });
    expect(await removePasskeyAction(null, form({ passkeyId: own.id }))).toMatchObject({ ok: true });
    expect(await db.passkey.count({ where: { userId: u.id } })).toBe(0);
    expect((await lastAudit("user.passkey_removed", u.id)).data).toMatchObject({ passkeyId: own.id, ip: IP });
  });

  it("satisfies a require-MFA rule: the enrolling session is signed in", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer(true)).id);
    signInAs(await fresh(u), { sid: newSid() });
    expect(await pendingSecondFactor()).toMatchObject({ pending: "enrol" });
    const options = await optionsOf(passkeyRegistrationOptionsAction);
    expect(await registerPasskeyAction(null, form({ name: "Key", response: JSON.stringify(authenticator().register(options)) }))).toMatchObject({ ok: true });
    expect(await currentUser()).toMatchObject({ id: u.id });
  });
});

describe("a passkey as the second factor", () => {
  it("leaves a user with a passkey pending until this sign-in proves it, then verifies and audits it", async () => {
    const u = await user("VENDOR_ADMIN");
    const key = await register(u);
    await newSignIn(u);
    expect(await currentUser()).toBeNull();
    expect(await signInPath()).toBe("/login/second-factor");
    const options = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(key.assert(options)) }))).toMatchObject({ ok: true });
    expect(await currentUser()).toMatchObject({ id: u.id });
    expect((await lastAudit("user.mfa_verified", u.id)).data).toMatchObject({ method: "passkey", ip: IP, userAgent: AGENT });
    expect((await db.passkey.findUniqueOrThrow({ where: { credentialId: key.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuses a reused challenge, a counter that does not rise, another user's credential and a wrong origin", async () => {
    const u = await user("VENDOR_ADMIN");
    const other = await user("VENDOR_ADMIN");
    const key = await register(u);
    const otherKey = await register(other);
    await newSignIn(u);
    const first = await optionsOf(passkeySecondFactorOptionsAction);
    const answer = JSON.stringify(key.assert(first));
    expect(await verifyPasskeySecondFactorAction(null, form({ response: answer }))).toMatchObject({ ok: true });

    // The same answer (and its challenge) in another sign-in.
    await newSignIn(u);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: answer }))).toMatchObject({ ok: false });
    // A fresh challenge but a counter that went back (a cloned authenticator).
    const second = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(key.assert(second, { counter: 1 })) }))).toMatchObject({ ok: false });
    expect((await lastAudit("user.mfa_failed", u.id)).data).toMatchObject({ method: "passkey", reason: "counter-regression" });
    // Another user's passkey, on this user's challenge.
    const third = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(otherKey.assert(third)) }))).toMatchObject({ ok: false });
    // Signed for another site.
    const fourth = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(key.assert(fourth, { origin: "https://evil.example" })) }))).toMatchObject({ ok: false });
    expect(await currentUser()).toBeNull();
    // A challenge issued for another user does not serve this one.
    await newSignIn(other);
    const othersChallenge = await optionsOf(passkeySecondFactorOptionsAction);
    await newSignIn(u);
    expect(await verifyPasskeySecondFactorAction(null, form({ response: JSON.stringify(key.assert(othersChallenge)) }))).toMatchObject({ ok: false });
    expect(await currentUser()).toBeNull();
  });

  it("is gone after an owner resets the user's MFA", async () => {
    const c = await customer();
    const owner = await user("CUSTOMER_OWNER", c.id);
    const member = await user("CUSTOMER_MEMBER", c.id);
    await register(member);
    signInAs(await fresh(owner), { sid: newSid() });
    expect(await resetTeamUserMfaAction(null, form({ userId: member.id }))).toMatchObject({ ok: true });
    expect(await db.passkey.count({ where: { userId: member.id } })).toBe(0);
  });
});

describe("a passkey as the first factor", () => {
  it("signs in with a discoverable passkey alone, records a verified session and the method, and audits it", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const key = await register(u);
    signInAs(null);
    const options = await optionsOf(passkeySignInOptionsAction);
    expect(options).toMatchObject({ userVerification: "required" });
    const signedIn = await signInWithPasskey(JSON.stringify(key.assert(options)), { ip: IP, userAgent: AGENT });
    expect(signedIn).toMatchObject({ id: u.id });
    const sid = signedIn!.sid!;
    expect(await db.verifiedSession.findUniqueOrThrow({ where: { sid } })).toMatchObject({ userId: u.id, method: "passkey" });
    // The JWT carries that sid, so the session is signed in without a second step.
    const token = await authOptions().callbacks!.jwt!({ token: {}, user: signedIn as never, account: null, trigger: "signIn" } as never);
    expect(token).toMatchObject({ uid: u.id, sid });
    signInAs(await fresh(u), { sid });
    expect(await currentUser()).toMatchObject({ id: u.id });
    expect(await db.user.findUniqueOrThrow({ where: { id: u.id } })).toMatchObject({ lastSignInMethod: "passkey" });
    expect((await lastAudit("user.signed_in", u.id)).data).toMatchObject({ method: "passkey", ip: IP, userAgent: AGENT });
  });

  it("refuses without user verification, a reused challenge, a second-factor challenge and an unknown credential", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const sid = newSid();
    const key = await register(u, authenticator({ userVerified: false }), sid);
    const verified = await register(u, authenticator(), sid);
    signInAs(null);
    const context = { ip: IP, userAgent: AGENT };
    const options = await optionsOf(passkeySignInOptionsAction);
    expect(await signInWithPasskey(JSON.stringify(key.assert(options)), context)).toBeNull();

    const fresh1 = await optionsOf(passkeySignInOptionsAction);
    const answer = JSON.stringify(verified.assert(fresh1));
    expect(await signInWithPasskey(answer, context)).toMatchObject({ id: u.id });
    expect(await signInWithPasskey(answer, context)).toBeNull();

    await newSignIn(u);
    const secondFactorChallenge = await optionsOf(passkeySecondFactorOptionsAction);
    expect(await signInWithPasskey(JSON.stringify(verified.assert(secondFactorChallenge)), context)).toBeNull();

    const fresh2 = await optionsOf(passkeySignInOptionsAction);
    expect(await signInWithPasskey(JSON.stringify(authenticator().assert(fresh2)), context)).toBeNull();
    expect(await signInWithPasskey("not json", context)).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.sign_in_failed", data: { path: ["method"], equals: "passkey" } } })).toBeGreaterThanOrEqual(4);
  });
});

describe("passkey sign-in challenges", () => {
  it("are limited per client address, since anyone may ask for one", async () => {
    await awayFromSignInWindowEnd();
    const context = { ip: `198.51.100.${Math.floor(Math.random() * 250)}-${randomBytes(4).toString("hex")}`, userAgent: AGENT };
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.perClient; i++) await passkeySignInOptions(context);
    await expect(passkeySignInOptions(context)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // Another client is not held back.
    await expect(passkeySignInOptions({ ...context, ip: `${context.ip}-other` })).resolves.toMatchObject({ userVerification: "required" });
  });
});

describe("how members signed in (point 3)", () => {
  it("shows each member's last sign-in method and whether MFA is on in the vendor's team lists", async () => {
    const c = await customer();
    const withPasskey = await user("CUSTOMER_MEMBER", c.id);
    const plain = await user("CUSTOMER_MEMBER", c.id);
    const key = await register(withPasskey);
    signInAs(null);
    const options = await optionsOf(passkeySignInOptionsAction);
    expect(await signInWithPasskey(JSON.stringify(key.assert(options)), { ip: IP, userAgent: AGENT })).toMatchObject({ id: withPasskey.id });
    await db.user.update({ where: { id: plain.id }, data: { passwordHash: await hashPassword("correct horse battery") } });
    expect(await signInWithPassword(plain.email, "correct horse battery", { ip: IP, userAgent: AGENT })).toMatchObject({ id: plain.id });
    const rows = await listTeamForVendor(c.id);
    expect(rows.find((r) => r.id === withPasskey.id)).toMatchObject({ lastSignInMethod: "passkey", mfa: true });
    expect(rows.find((r) => r.id === plain.id)).toMatchObject({ lastSignInMethod: "password", mfa: false });
  });
});
