import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, rewrap, seal, type Keyring } from "@/lib/crypto/secret-box";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };
const keyring: Keyring = { current: k1, previous: [] };
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AAD = "AKIAIOSFODNN7EXAMPLE";

/** Rebuilds the ciphertext with one of its six base64 parts changed (1-3 wrap the data key, 4-6 the secret). */
function withPart(ciphertext: string, index: number, change: (bytes: Buffer) => Buffer) {
  const parts = ciphertext.split(".");
  parts[index] = change(Buffer.from(parts[index]!, "base64")).toString("base64");
  return parts.join(".");
}
const flipFirstByte = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
};

describe("secret box (envelope encryption)", () => {
  it("round-trips and names the master key", () => {
    const sealed = seal(SECRET, AAD, keyring);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.ciphertext).toMatch(/^v1(\.[^.]+){6}$/);
    expect(sealed.ciphertext).not.toContain(SECRET);
    expect(open(sealed.ciphertext, sealed.keyId, AAD, keyring)).toBe(SECRET);
  });

  it("uses a fresh data key and IVs for every seal", () => {
    const a = seal(SECRET, AAD, keyring).ciphertext.split(".");
    const b = seal(SECRET, AAD, keyring).ciphertext.split(".");
    for (let i = 1; i <= 6; i++) expect(a[i]).not.toBe(b[i]);
  });

  it.each([1, 2, 3, 4, 5, 6])("detects a flipped byte in part %i", (index) => {
    const { ciphertext } = seal(SECRET, AAD, keyring);
    expect(() => open(withPart(ciphertext, index, flipFirstByte), "k1", AAD, keyring)).toThrow();
  });

  it.each([2, 5])("rejects a truncated authentication tag in part %i", (index) => {
    // GCM accepts short tags unless told the length; a 4-byte tag is forgeable by brute force.
    const { ciphertext } = seal(SECRET, AAD, keyring);
    expect(() => open(withPart(ciphertext, index, (tag) => tag.subarray(0, 4)), "k1", AAD, keyring)).toThrow();
    expect(() => open(withPart(ciphertext, index, (tag) => tag.subarray(0, 12)), "k1", AAD, keyring)).toThrow();
  });

  it("refuses a ciphertext moved to another row (AAD mismatch)", () => {
    const { ciphertext } = seal(SECRET, AAD, keyring);
    expect(() => open(ciphertext, "k1", "AKIAOTHERKEY00000000", keyring)).toThrow();
  });

  it("refuses a master key id that is not configured, and the right id with wrong bytes", () => {
    const { ciphertext } = seal(SECRET, AAD, keyring);
    expect(() => open(ciphertext, "k0", AAD, keyring)).toThrow(/"k0"/);
    expect(() => open(ciphertext, "k1", AAD, { current: { id: "k1", key: randomBytes(32) }, previous: [] })).toThrow();
  });

  it("refuses an unknown format", () => {
    const { ciphertext } = seal(SECRET, AAD, keyring);
    expect(() => open(ciphertext.replace(/^v1\./, "v9."), "k1", AAD, keyring)).toThrow(/Unrecognized/);
    expect(() => open("v1.only.three", "k1", AAD, keyring)).toThrow(/Unrecognized/);
  });

  it("re-wraps under a new master key without touching the sealed secret", () => {
    const sealed = seal(SECRET, AAD, keyring);
    const rotated: Keyring = { current: k2, previous: [k1] };
    const next = rewrap(sealed.ciphertext, sealed.keyId, AAD, rotated);
    expect(next.keyId).toBe("k2");
    expect(next.ciphertext.split(".").slice(4)).toEqual(sealed.ciphertext.split(".").slice(4));
    expect(open(next.ciphertext, "k2", AAD, { current: k2, previous: [] })).toBe(SECRET);
    // The old key alone no longer opens it.
    expect(() => open(next.ciphertext, "k2", AAD, keyring)).toThrow(/"k2"/);
  });
});
