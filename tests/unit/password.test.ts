import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

const SALT = "AAAAAAAAAAAAAAAAAAAAAA==";

describe("password hashing", () => {
  it("stores scrypt parameters with a random salt and verifies the right password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await hashPassword("correct horse battery staple")).not.toBe(stored);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
  });

  it("rejects a wrong password, including one differing only in case or whitespace", async () => {
    const stored = await hashPassword("Secret-1");
    expect(await verifyPassword("Secret-2", stored)).toBe(false);
    expect(await verifyPassword("secret-1", stored)).toBe(false);
    expect(await verifyPassword("Secret-1 ", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("returns false when there is no stored hash", async () => {
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", undefined)).toBe(false);
    expect(await verifyPassword("anything", "")).toBe(false);
  });

  it.each([
    ["not a hash at all", "garbage"],
    ["another scheme", `bcrypt$32768$8$1$${SALT}$AAAA`],
    ["missing fields", "scrypt$32768$8$1"],
    ["a truncated hash of the right scheme", `scrypt$32768$8$1$${SALT}$AAAA`],
  ])("returns false for a malformed stored hash: %s", async (_label, stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });

  it("returns false, rather than throwing, for non-numeric scrypt parameters", async () => {
    await expect(verifyPassword("anything", `scrypt$abc$8$1$${SALT}$AAAA`)).resolves.toBe(false);
  });

  it("never accepts a password against a stored hash whose digest decodes to nothing", async () => {
    // "@@@@" is not base64: it decodes to zero bytes, and two empty buffers compare equal.
    await expect(verifyPassword("any password at all", `scrypt$32768$8$1$${SALT}$@@@@`)).resolves.toBe(false);
  });
});
