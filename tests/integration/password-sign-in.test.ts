import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { MAX_FAILED_LOGINS, signInWithPassword } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

afterAll(closePools);

describe("password sign-in", () => {
  it("signs in with the right password only, case-insensitively on the email", async () => {
    const email = `${unique("staff")}@vendor.example`;
    await db.user.create({ data: { email, role: "VENDOR_ADMIN", passwordHash: await hashPassword("correct horse battery") } });
    expect(await signInWithPassword(email.toUpperCase(), "correct horse battery")).toMatchObject({ email, role: "VENDOR_ADMIN" });
    expect(await signInWithPassword(email, "wrong")).toBeNull();
    expect(await signInWithPassword(`nobody-${email}`, "correct horse battery")).toBeNull();
  });

  it("locks password sign-in after repeated failures, then unlocks and resets", async () => {
    const email = `${unique("locked")}@vendor.example`;
    await db.user.create({ data: { email, role: "VENDOR_ADMIN", passwordHash: await hashPassword("right password") } });
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect(await signInWithPassword(email, `guess ${i}`)).toBeNull();
    // Locked: even the right password is refused.
    expect(await signInWithPassword(email, "right password")).toBeNull();
    const locked = await db.user.findUniqueOrThrow({ where: { email } });
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

    await db.user.update({ where: { email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await signInWithPassword(email, "right password")).not.toBeNull();
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });
});
