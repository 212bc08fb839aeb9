// TOTP second factor (issue 19, point 1): a user with TOTP, or under a rule that requires it, is
// not signed in until this sign-in (its sid) verified a code; codes are never accepted twice;
// recovery codes work once; owners set the rules and reset MFA within their own scope; every
// event is audited with the request's IP and user agent.
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { verifySecondFactorAction } from "@/app/(auth)/login/second-factor/actions";
import { confirmTotpEnrolmentAction, removeTotpAction } from "@/app/(auth)/account/security/actions";
import { resetTeamMemberMfaAction, setTeamMfaRuleAction as setVendorRuleAction } from "@/app/(admin)/admin/team/actions";
import { inviteTeamUserAction, resetTeamUserMfaAction, setTeamMfaRuleAction as setCustomerRuleAction } from "@/app/(customer)/portal/team/actions";
import { mfaStatusView } from "@/lib/auth/mfa/enrol-totp";
import { MAX_MFA_FAILURES } from "@/lib/auth/mfa/check-second-factor";
import { currentUser, pendingSecondFactor, requireSignedIn, signInPath } from "@/lib/auth/session";
import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

const IP = "203.0.113.77";
const AGENT = "MfaTest/1.0";
// The request comes through the operator's proxy, so its client address is believed and audited.
vi.hoisted(() => {
  process.env.PULLGATE_TRUSTED_PROXIES = "10.0.0.1";
});
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.77, 10.0.0.1", "user-agent": "MfaTest/1.0" }),
}));

afterEach(async () => {
  // Files share one database: the vendor rule never outlives a test.
  await db.vendorSettings.deleteMany();
});
afterAll(async () => {
  await closePools();
});

type User = { id: string; email: string; name: string | null; role: UserRole; sessionEpoch: number; customerId: string | null };

const newSid = () => randomBytes(16).toString("base64url");
const fresh = (u: { id: string }) => db.user.findUniqueOrThrow({ where: { id: u.id } }) as Promise<User>;
const customer = (requireMfa = false) => db.customer.create({ data: { name: unique("MFA customer"), requireMfa } });
const user = (role: UserRole, customerId?: string) =>
  db.user.create({ data: { email: `${unique(role.toLowerCase())}@example.com`, role, customerId } }) as Promise<User>;

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

const codeAt = (secret: string, timestamp = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp });

/** Enrols TOTP the way the security page does; returns the shared secret and the recovery codes. */
async function enrol(u: User, sid = newSid()) {
  signInAs(await fresh(u), { sid });
  const view = await mfaStatusView(u);
  if (view.enabled) throw new Error("already enrolled");
  expect(view.qrSvg).toContain("<svg");
  expect(view.uri).toMatch(/^otpauth:\/\/totp\/Pullgate:/);
  const result = await confirmTotpEnrolmentAction(null, form({ code: codeAt(view.secret) }));
  if (!result.ok || !result.data) throw new Error(`enrolment failed: ${JSON.stringify(result)}`);
  return { secret: view.secret, recoveryCodes: result.data.recoveryCodes, code: codeAt(view.secret) };
}

const lastAudit = (action: string, userId: string) =>
  db.auditEvent.findFirstOrThrow({ where: { action, data: { path: ["userId"], equals: userId } }, orderBy: { id: "desc" } });

describe("TOTP second factor", () => {
  it("enrols with a code from the shared secret, stores it sealed, and audits the enrolment with IP and user agent", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const { secret, recoveryCodes } = await enrol(u);
    expect(recoveryCodes).toHaveLength(10);
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpSecretCiphertext).not.toContain(secret);
    const hashes = await db.recoveryCode.findMany({ where: { userId: u.id } });
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.codeHash)).not.toContain(recoveryCodes[0]);
    const event = await lastAudit("user.mfa_enrolled", u.id);
    expect(event.data).toMatchObject({ ip: IP, userAgent: AGENT, method: "totp" });
    // The enrolling session counts as verified.
    expect(await currentUser()).toMatchObject({ id: u.id });
  });

  it("does not sign in a user with TOTP until this sign-in verified a code, and never accepts a code twice", async () => {
    const u = await user("CUSTOMER_OWNER", (await customer()).id);
    const { secret, code } = await enrol(u);
    const sid = newSid();
    signInAs(await fresh(u), { sid });
    expect(await currentUser()).toBeNull();
    expect(await pendingSecondFactor()).toMatchObject({ pending: "verify", user: { id: u.id } });
    expect(await signInPath()).toBe("/login/second-factor");
    await expect(requireSignedIn()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const before = await db.user.count();
    expect(await inviteTeamUserAction(null, form({ email: `${unique("blocked")}@example.com`, role: "CUSTOMER_MEMBER" }))).toMatchObject({ ok: false });
    expect(await db.user.count()).toBe(before);

    // The code the enrolment used is spent.
    expect(await verifySecondFactorAction(null, form({ code }))).toMatchObject({ ok: false });
    expect((await lastAudit("user.mfa_failed", u.id)).data).toMatchObject({ ip: IP, userAgent: AGENT });
    expect(await currentUser()).toBeNull();

    const next = codeAt(secret, Date.now() + 30_000);
    expect(await verifySecondFactorAction(null, form({ code: next }))).toMatchObject({ ok: true });
    expect(await currentUser()).toMatchObject({ id: u.id });
    expect((await lastAudit("user.mfa_verified", u.id)).data).toMatchObject({ method: "totp", ip: IP, userAgent: AGENT });

    // Another sign-in replaying the same code is refused.
    signInAs(await fresh(u), { sid: newSid() });
    expect(await verifySecondFactorAction(null, form({ code: next }))).toMatchObject({ ok: false });
    expect(await currentUser()).toBeNull();
    // A session without a sid (an older token) is never verified.
    signInAs(await fresh(u));
    expect(await currentUser()).toBeNull();
  });

  it("accepts a recovery code once", async () => {
    const u = await user("VENDOR_ADMIN");
    const { recoveryCodes } = await enrol(u);
    signInAs(await fresh(u), { sid: newSid() });
    expect(await verifySecondFactorAction(null, form({ code: recoveryCodes[3]!.toUpperCase() }))).toMatchObject({ ok: true });
    expect(await currentUser()).toMatchObject({ id: u.id });
    expect((await lastAudit("user.mfa_verified", u.id)).data).toMatchObject({ method: "recovery" });
    signInAs(await fresh(u), { sid: newSid() });
    expect(await verifySecondFactorAction(null, form({ code: recoveryCodes[3]! }))).toMatchObject({ ok: false });
    expect(await currentUser()).toBeNull();
  });

  it(`locks the second factor after ${MAX_MFA_FAILURES} wrong codes, even for a right one`, async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const { secret } = await enrol(u);
    signInAs(await fresh(u), { sid: newSid() });
    const wrong = (c: string) => String((Number(c) + 1) % 1_000_000).padStart(6, "0");
    const attempts = await Promise.all(
      Array.from({ length: MAX_MFA_FAILURES + 3 }, () => verifySecondFactorAction(null, form({ code: wrong(codeAt(secret, Date.now() + 30_000)) }))),
    );
    expect(attempts.every((a) => !a.ok)).toBe(true);
    expect(await verifySecondFactorAction(null, form({ code: codeAt(secret, Date.now() + 30_000) }))).toMatchObject({ ok: false });
    expect(await currentUser()).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.mfa_locked_out", data: { path: ["userId"], equals: u.id } } })).toBe(1);
  });

  it("removes TOTP only with a current code, audited", async () => {
    const u = await user("CUSTOMER_MEMBER", (await customer()).id);
    const { secret, code } = await enrol(u);
    expect(await removeTotpAction(null, form({ code }))).toMatchObject({ ok: false });
    expect(await removeTotpAction(null, form({ code: codeAt(secret, Date.now() + 30_000) }))).toMatchObject({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: u.id } })).toMatchObject({ totpEnabledAt: null, totpSecretCiphertext: null });
    expect(await db.recoveryCode.count({ where: { userId: u.id } })).toBe(0);
    expect((await lastAudit("user.mfa_removed", u.id)).data).toMatchObject({ ip: IP, userAgent: AGENT });
    signInAs(await fresh(u), { sid: newSid() });
    expect(await currentUser()).toMatchObject({ id: u.id });
  });
});

describe("MFA rules", () => {
  it("a customer owner's rule walks its users through enrolment and blocks pages and actions until then", async () => {
    const c = await customer();
    const owner = await user("CUSTOMER_OWNER", c.id);
    const member = await user("CUSTOMER_MEMBER", c.id);
    const other = await user("CUSTOMER_MEMBER", (await customer()).id);
    const { secret: ownerSecret } = await enrol(owner);

    expect(await setCustomerRuleAction(null, form({ requireMfa: "on" }))).toMatchObject({ ok: true });
    expect(await db.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ requireMfa: true });
    const rule = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.mfa_rule_changed", customerId: c.id } });
    expect(rule.data).toMatchObject({ requireMfa: true, ip: IP, userAgent: AGENT });

    signInAs(await fresh(member), { sid: newSid() });
    expect(await currentUser()).toBeNull();
    expect(await pendingSecondFactor()).toMatchObject({ pending: "enrol" });
    expect(await signInPath()).toBe("/account/security");
    await expect(requireSignedIn()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    // Another customer's users are not under the rule.
    signInAs(await fresh(other), { sid: newSid() });
    expect(await currentUser()).toMatchObject({ id: other.id });

    // The member enrols and is then signed in; TOTP cannot be removed while the rule holds.
    const { secret } = await enrol(member);
    expect(await currentUser()).toMatchObject({ id: member.id });
    expect(await removeTotpAction(null, form({ code: codeAt(secret, Date.now() + 30_000) }))).toMatchObject({ ok: false });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ totpEnabledAt: expect.any(Date) });

    // The owner (verified) turns the rule off again.
    signInAs(await fresh(owner), { sid: newSid() });
    expect(await verifySecondFactorAction(null, form({ code: codeAt(ownerSecret, Date.now() + 30_000) }))).toMatchObject({ ok: true });
    expect(await setCustomerRuleAction(null, form({}))).toMatchObject({ ok: true });
    expect(await db.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ requireMfa: false });
  });

  it("a vendor owner's rule applies to vendor staff only", async () => {
    const owner = await user("VENDOR_OWNER");
    const staff = await user("VENDOR_VIEWER");
    const customerUser = await user("CUSTOMER_OWNER", (await customer()).id);
    signInAs(await fresh(staff), { sid: newSid() });
    expect(await setVendorRuleAction(null, form({ requireMfa: "on" }))).toMatchObject({ ok: false });
    // The settings row may exist (another file's SSO settings write it): the rule is what counts.
    expect((await db.vendorSettings.findUnique({ where: { id: "vendor" } }))?.requireMfa ?? false).toBe(false);

    await enrol(owner);
    expect(await setVendorRuleAction(null, form({ requireMfa: "on" }))).toMatchObject({ ok: true });
    expect((await db.auditEvent.findFirstOrThrow({ where: { action: "vendor.mfa_rule_changed" }, orderBy: { id: "desc" } })).data).toMatchObject({ requireMfa: true, ip: IP });
    signInAs(await fresh(staff), { sid: newSid() });
    expect(await pendingSecondFactor()).toMatchObject({ pending: "enrol" });
    expect(await currentUser()).toBeNull();
    signInAs(await fresh(customerUser), { sid: newSid() });
    expect(await currentUser()).toMatchObject({ id: customerUser.id });
  });
});

describe("owner reset", () => {
  it("a customer owner resets its own users' MFA only: sessions end, audited", async () => {
    const c = await customer();
    const owner = await user("CUSTOMER_OWNER", c.id);
    const member = await user("CUSTOMER_MEMBER", c.id);
    const foreign = await user("CUSTOMER_MEMBER", (await customer()).id);
    const staff = await user("VENDOR_ADMIN");
    for (const u of [member, foreign, staff]) await enrol(u);

    signInAs(await fresh(owner), { sid: newSid() });
    for (const target of [foreign, staff]) {
      const before = await fresh(target);
      expect(await resetTeamUserMfaAction(null, form({ userId: target.id }))).toMatchObject({ ok: false });
      expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ totpEnabledAt: expect.any(Date), sessionEpoch: before.sessionEpoch });
    }
    const before = await fresh(member);
    expect(await resetTeamUserMfaAction(null, form({ userId: member.id }))).toMatchObject({ ok: true });
    const after = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ totpEnabledAt: null, totpSecretCiphertext: null, sessionEpoch: before.sessionEpoch + 1 });
    expect(await db.recoveryCode.count({ where: { userId: member.id } })).toBe(0);
    const event = await lastAudit("user.mfa_reset", member.id);
    expect(event).toMatchObject({ actorId: owner.id, customerId: c.id });
    expect(event.data).toMatchObject({ ip: IP, userAgent: AGENT });
  });

  it("a vendor owner resets staff only, not customer users", async () => {
    const owner = await user("VENDOR_OWNER");
    const staff = await user("VENDOR_ADMIN");
    const customerUser = await user("CUSTOMER_MEMBER", (await customer()).id);
    await enrol(staff);
    await enrol(customerUser);
    signInAs(await fresh(owner), { sid: newSid() });
    expect(await resetTeamMemberMfaAction(null, form({ userId: customerUser.id }))).toMatchObject({ ok: false });
    expect(await db.user.findUniqueOrThrow({ where: { id: customerUser.id } })).toMatchObject({ totpEnabledAt: expect.any(Date) });
    expect(await resetTeamMemberMfaAction(null, form({ userId: staff.id }))).toMatchObject({ ok: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({ totpEnabledAt: null });
  });
});
