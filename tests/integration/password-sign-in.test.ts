import { afterAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { MAX_FAILED_LOGINS, signInWithPassword } from "@/lib/auth/sign-in";
import { countSignInAttempt, SIGN_IN_RATE_LIMIT } from "@/lib/auth/sign-in-rate-limit";
import { db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { eventually } from "../support/deadline";
import { awayFromSignInWindowEnd } from "../support/rate-window";
import { unique } from "../support/seed";

afterAll(closePools);

// While a gate is set, checking any password but the right one waits for it: a test can hold
// guesses mid-check and send another attempt among them.
const checking = vi.hoisted(() => ({ gate: null as Promise<void> | null, held: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: async (password: string, stored: string | null | undefined) => {
      if (checking.gate && password !== "right password") {
        checking.held++;
        await checking.gate;
      }
      return real.verifyPassword(password, stored);
    },
  };
});

let clients = 0;
/** A client of its own per test, so one test's attempts never count against another's address. */
const client = () => ({ ip: `2001:db8:${process.pid.toString(16)}::${(++clients).toString(16)}`, userAgent: "PasswordTest/1.0" });

async function staff(password: string) {
  const email = `${unique("staff")}@vendor.example`;
  await db.user.create({ data: { email, role: "VENDOR_ADMIN", passwordHash: await hashPassword(password) } });
  return email;
}

const auditFor = (email: string) =>
  db.auditEvent.findMany({ where: { data: { path: ["email"], equals: email } }, orderBy: { id: "asc" } });


describe("password sign-in", () => {
  it("signs in with the right password only, case-insensitively on the email", async () => {
    const email = await staff("correct horse battery");
    const from = client();
    expect(await signInWithPassword(email.toUpperCase(), "correct horse battery", from)).toMatchObject({ email, role: "VENDOR_ADMIN" });
    expect(await signInWithPassword(email, "wrong", from)).toBeNull();
    expect(await signInWithPassword(`nobody-${email}`, "correct horse battery", from)).toBeNull();
  });

  it("locks password sign-in after repeated failures, then unlocks and resets", async () => {
    const email = await staff("right password");
    const from = client();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect(await signInWithPassword(email, `guess ${i}`, from)).toBeNull();
    // Locked: even the right password is refused.
    expect(await signInWithPassword(email, "right password", from)).toBeNull();
    const locked = await db.user.findUniqueOrThrow({ where: { email } });
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

    await db.user.update({ where: { email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await signInWithPassword(email, "right password", from)).not.toBeNull();
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it("still lets the right password in after fewer failures than the limit", async () => {
    const email = await staff("right password");
    const from = client();
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) expect(await signInWithPassword(email, `guess ${i}`, from)).toBeNull();
    expect(await signInWithPassword(email, "right password", from)).toMatchObject({ email });
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it("counts parallel guesses before checking them: the right one after the limit is refused and the lock stays", async () => {
    const email = await staff("right password");
    const from = client();
    // The wrong guesses are all still being checked when the right password arrives.
    let open!: () => void;
    checking.gate = new Promise<void>((resolve) => (open = resolve));
    checking.held = 0;
    const wrong = Array.from({ length: 2 * MAX_FAILED_LOGINS + 1 }, (_, i) => signInWithPassword(email, `guess ${i}`, from));
    await eventually("guesses being checked", async () => checking.held, (held) => held === wrong.length, { timeoutMs: 10_000 });
    const right = await signInWithPassword(email, "right password", from);
    open();
    checking.gate = null;

    expect(right).toBeNull();
    expect(await Promise.all(wrong)).toEqual(wrong.map(() => null));
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(user.lastLoginAt).toBeNull();
  });

  it("limits attempts per address, whatever the password", async () => {
    await awayFromSignInWindowEnd();
    const email = await staff("right password");
    const from = client();
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.perAddress; i++) expect(await signInWithPassword(email, "right password", from)).not.toBeNull();
    expect(await signInWithPassword(email, "right password", client())).toBeNull();
    expect((await auditFor(email)).at(-1)?.data).toMatchObject({ reason: "rate-limited" });
  });

  it("limits attempts per client address, across email addresses", async () => {
    await awayFromSignInWindowEnd();
    const email = await staff("right password");
    const from = client();
    // Attempts at other addresses from the same client, of either kind (a password costs seconds here).
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.perClient; i++) await countSignInAttempt(`nobody-${i}-${email}`, from.ip);
    expect(await signInWithPassword(email, "right password", from)).toBeNull();
    expect(await signInWithPassword(email, "right password", client())).toMatchObject({ email });
  });

  it("audits every sign-in, failure and lockout with the client's address and browser", async () => {
    const email = await staff("right password");
    const from = client();
    await signInWithPassword(email, "right password", from);
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await signInWithPassword(email, `guess ${i}`, from);
    await signInWithPassword(email, "right password", from);
    const unknown = `nobody-${email}`;
    await signInWithPassword(unknown, "guess", from);

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const events = await auditFor(email);
    expect(events.map((e) => [e.action, (e.data as { reason?: string }).reason])).toEqual([
      ["user.signed_in", undefined],
      ...Array.from({ length: MAX_FAILED_LOGINS }, () => ["user.sign_in_failed", "wrong-password"]),
      ["user.locked_out", undefined],
      ["user.sign_in_failed", "locked"],
    ]);
    for (const event of events) {
      expect(event.data).toMatchObject({ method: "password", userId: user.id, ip: from.ip, userAgent: from.userAgent });
    }
    expect(events[0]).toMatchObject({ actorType: "USER", actorId: user.id });
    expect((await auditFor(unknown)).map((e) => [e.action, e.data])).toEqual([
      ["user.sign_in_failed", { method: "password", email: unknown, reason: "unknown", ip: from.ip, userAgent: from.userAgent }],
    ]);
  });
});
