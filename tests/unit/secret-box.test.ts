import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal } from "@/lib/crypto/secret-box";

const master = { id: "k1", key: randomBytes(32) };
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AAD = "AKIAIOSFODNN7EXAMPLE";

/** Rebuilds the ciphertext with one of its parts (iv, tag, body) changed. */
function withPart(ciphertext: string, index: 1 | 2 | 3, change: (bytes: Buffer) => Buffer) {
  const parts = ciphertext.split(".");
  parts[index] = change(Buffer.from(parts[index]!, "base64")).toString("base64");
  return parts.join(".");
}
const flipFirstByte = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
};

describe("secret box", () => {
  it("round-trips with an explicit master key and names that key", () => {
    const sealed = seal(SECRET, AAD, master);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.ciphertext).toMatch(/^v1\.[^.]+\.[^.]+\.[^.]+$/);
    expect(sealed.ciphertext).not.toContain(SECRET);
    expect(open(sealed.ciphertext, sealed.keyId, AAD, master)).toBe(SECRET);
  });

  it("uses a fresh IV for every seal", () => {
    expect(seal(SECRET, AAD, master).ciphertext).not.toBe(seal(SECRET, AAD, master).ciphertext);
  });

  it.each([
    ["body", 3],
    ["authentication tag", 2],
    ["IV", 1],
  ] as const)("detects a flipped byte in the %s", (_part, index) => {
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(withPart(ciphertext, index, flipFirstByte), "k1", AAD, master)).toThrow();
  });

  it("rejects a truncated authentication tag", () => {
    // GCM accepts short tags unless told the length; a 4-byte tag is forgeable by brute force.
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(withPart(ciphertext, 2, (tag) => tag.subarray(0, 4)), "k1", AAD, master)).toThrow();
    expect(() => open(withPart(ciphertext, 2, (tag) => tag.subarray(0, 12)), "k1", AAD, master)).toThrow();
  });

  it("refuses a ciphertext moved to another row (AAD mismatch)", () => {
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(ciphertext, "k1", "AKIAOTHERKEY00000000", master)).toThrow();
  });

  it("refuses a ciphertext sealed under another master key id", () => {
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(ciphertext, "k0", AAD, master)).toThrow(/"k0"/);
  });

  it("refuses the right key id with the wrong key bytes", () => {
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(ciphertext, "k1", AAD, { id: "k1", key: randomBytes(32) })).toThrow();
  });

  it("refuses an unknown format", () => {
    const { ciphertext } = seal(SECRET, AAD, master);
    expect(() => open(ciphertext.replace(/^v1\./, "v2."), "k1", AAD, master)).toThrow(/Unrecognized/);
    expect(() => open("v1.only-two", "k1", AAD, master)).toThrow(/Unrecognized/);
  });
});
