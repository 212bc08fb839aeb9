import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";

const directives = (policy: string) =>
  Object.fromEntries(policy.split("; ").map((d) => { const [name = "", ...values] = d.split(" "); return [name, values.join(" ")]; }));

describe("contentSecurityPolicy", () => {
  it("is the production policy, scripts and styles by nonce", () => {
    expect(contentSecurityPolicy({ nonce: "abc123==", development: false, https: false })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123==' 'strict-dynamic'; style-src 'self' 'nonce-abc123=='; " +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'",
    );
  });

  it("allows eval and inline styles in development only", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", development: true, https: false }));
    expect(dev["script-src"]).toBe("'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(dev["style-src"]).toBe("'self' 'unsafe-inline'");
    const prod = contentSecurityPolicy({ nonce: "n", development: false, https: true });
    expect(prod).not.toContain("unsafe");
  });

  it("upgrades insecure requests only over HTTPS", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", development: false, https: true }))).toHaveProperty("upgrade-insecure-requests");
    expect(directives(contentSecurityPolicy({ nonce: "n", development: false, https: false }))).not.toHaveProperty("upgrade-insecure-requests");
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, new every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
