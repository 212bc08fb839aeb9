import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCodes, normalizedRecoveryCode, RECOVERY_CODE_COUNT } from "@/lib/auth/mfa/recovery-codes";
import { totpCodeOf, totpStep, totpUri } from "@/lib/auth/mfa/totp";

const secret = new Secret({ size: 20 }).base32;
const codeAt = (timestamp: number) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp });

describe("TOTP", () => {
  const now = Date.UTC(2026, 11, 5, 4, 0, 10);
  const step = Math.floor(now / 30_000);

  it("accepts the current code and one step either side, naming its step", () => {
    expect(totpStep(secret, codeAt(now), now)).toBe(step);
    expect(totpStep(secret, codeAt(now - 30_000), now)).toBe(step - 1);
    expect(totpStep(secret, codeAt(now + 30_000), now)).toBe(step + 1);
    expect(totpStep(secret, codeAt(now + 90_000), now)).toBeNull();
    expect(totpStep(secret, codeAt(now - 90_000), now)).toBeNull();
  });

  it("reads only six digits, spaces allowed", () => {
    expect(totpCodeOf(" 123 456 ")).toBe("123456");
    for (const bad of ["12345", "1234567", "12a456", "", "１２３４５６"]) expect(totpCodeOf(bad)).toBeNull();
  });

  it("writes the otpauth URI authenticator apps read", () => {
    expect(totpUri(secret, "a@example.com")).toMatch(/^otpauth:\/\/totp\/Pullgate:a%40example\.com\?issuer=Pullgate&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/);
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes that read back whatever their case, spaces or dash", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(normalizedRecoveryCode(` ${code.toUpperCase()} `)).toBe(code.replace("-", ""));
    }
    expect(normalizedRecoveryCode("abcde-fghi")).toBeNull();
    expect(normalizedRecoveryCode("123456")).toBeNull();
    expect(hashRecoveryCode("abcdefghjk")).toMatch(/^[0-9a-f]{64}$/);
  });
});
