import { describe, expect, it } from "vitest";
import { AppError, normalizeError } from "@/lib/errors";
import { setLogDestination } from "@/lib/log";
import { assertCleanJson, emailOrNull, isIdShaped, parseIsoInstant, strictInstant, strictText, textProblem } from "@/lib/validation/strict-input";

describe("textProblem", () => {
  it("takes ordinary text, line breaks and tabs where several lines are meant", () => {
    expect(textProblem("Ann Example — Zürich 🚀")).toBeNull();
    expect(textProblem("line one\nline two\ttabbed\r\n")).toBeNull();
  });

  it("refuses NUL, other control characters, unpaired surrogates and over-long text", () => {
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    expect(textProblem("a\u0007b")).toMatch(/control/);
    expect(textProblem("a\u007fb")).toMatch(/control/);
    expect(textProblem("a\ud800b")).toMatch(/surrogate/);
    expect(textProblem("\udc00")).toMatch(/surrogate/);
    expect(textProblem("a".repeat(11), { max: 10 })).toMatch(/longer than 10/);
    expect(textProblem("one\ntwo", { multiline: false })).toMatch(/control/);
  });

  it("finds the first bad string anywhere in a JSON value, keys included", () => {
    expect(() => assertCleanJson({ a: [1, { b: "ok" }], c: "fine" })).not.toThrow();
    expect(() => assertCleanJson({ a: [1, { b: "x\u0000" }] })).toThrow(AppError);
    expect(() => assertCleanJson({ ["k\ud800"]: 1 })).toThrow(/field name/);
  });

  it("caps a single-line field in its schema", () => {
    expect(strictText(5).safeParse("  abc  ").data).toBe("abc");
    expect(strictText(5).safeParse("abcdef").success).toBe(false);
    expect(strictText(50).safeParse("a\u0000").success).toBe(false);
  });
});

describe("emails", () => {
  it("lower-cases and trims a valid address, and refuses the rest, a megabyte by its length alone", () => {
    expect(emailOrNull("  Ann@Example.COM ")).toBe("ann@example.com");
    expect(emailOrNull(`${"a".repeat(250)}@example.com`)).toBeNull();
    expect(emailOrNull("ann\u0000@example.com")).toBeNull();
    expect(emailOrNull("\ud800@example.com")).toBeNull();
    expect(emailOrNull("not-an-email")).toBeNull();
    // Refused by MAX_EMAIL before the pattern runs (how long that takes is not a unit test's to judge).
    expect(emailOrNull(`${"a".repeat(1_000_000)}@example.com`)).toBeNull();
  });
});

describe("ISO 8601 instants", () => {
  it("reads dates and date-times with an offset, a bare date as midnight UTC", () => {
    expect(parseIsoInstant("2027-01-31")?.toISOString()).toBe("2027-01-31T00:00:00.000Z");
    expect(parseIsoInstant("2027-01-31T12:30:00Z")?.toISOString()).toBe("2027-01-31T12:30:00.000Z");
    expect(parseIsoInstant("2027-01-31T12:30:00.123456Z")?.toISOString()).toBe("2027-01-31T12:30:00.123Z");
    expect(parseIsoInstant("2027-01-31T12:30+02:00")?.toISOString()).toBe("2027-01-31T10:30:00.000Z");
    expect(parseIsoInstant("2027-01-31T12:30:00-0530")?.toISOString()).toBe("2027-01-31T18:00:00.000Z");
    expect(parseIsoInstant("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("refuses days that do not exist instead of rolling them over, and years outside 2000–2999", () => {
    for (const bad of ["2027-02-31", "2027-02-29", "2027-04-31", "2027-13-01", "2027-00-10", "2027-01-00", "2027-01-01T24:00:00Z", "2027-01-01T00:60:00Z", "2027-01-01T00:00:60Z", "2027-01-01T00:00:00+24:00"]) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
    for (const bad of ["0000-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "3000-01-01", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00Z"]) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
  });

  it("refuses what is not ISO 8601, and a time without an offset", () => {
    for (const bad of ["March 3, 2030", "2030/01/01", "20300101", "2030-1-1", "1e12", "", "2030-01-01T00:00:00", "2030-01-01 00:00:00Z"]) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
    expect(strictInstant("expiresAt").safeParse("2027-02-31").error?.issues[0]?.message).toMatch(/expiresAt must be an ISO 8601 date/);
  });
});

describe("ids", () => {
  it("takes cuids, slugs and Stripe ids, and nothing a record could not have", () => {
    for (const id of ["cmx9umjjr0005km7d75dpv959", "acme-analytics", "price_1PqXyz", "evt_123"]) expect(isIdShaped(id), id).toBe(true);
    for (const id of ["", "\u0000", "%00", "a/b", "..", "a b", "\ud800", "c".repeat(101), 42]) expect(isIdShaped(id), String(id)).toBe(false);
  });
});

describe("a database refusal that validation let through", () => {
  const logged: Record<string, unknown>[] = [];
  setLogDestination({ write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }, "warn");
  const driverError = (cause: object) => Object.assign(new Error("invalid byte sequence for encoding \"UTF8\": 0x00"), { name: "DriverAdapterError", cause });

  it("is invalid input, its database text never shown", () => {
    for (const error of [
      driverError({ kind: "postgres", code: "22021", originalCode: "22021" }),
      driverError({ kind: "postgres", code: "22008", originalCode: "22008" }),
      driverError({ kind: "postgres", code: "54000", originalCode: "54000" }),
      driverError({ kind: "LengthMismatch", originalCode: "22001" }),
      Object.assign(new Error("value too long"), { name: "PrismaClientKnownRequestError", code: "P2000" }),
      Object.assign(new Error("Invalid `db.x()` invocation: JSON Error: lone leading surrogate in hex escape"), { name: "PrismaClientUnknownRequestError" }),
    ]) {
      const normalized = normalizeError(error);
      expect(normalized).toMatchObject({ code: "INVALID_INPUT", status: 422 });
      expect(normalized.message).not.toMatch(/UTF8|surrogate|prisma|invocation/i);
    }
    // Logged as a warning, so a gap in validation is found.
    expect(logged.every((line) => line.level === 40 && line.msg === "the database refused input that validation let through")).toBe(true);
  });

  it("leaves failures on our side as they are", () => {
    expect(normalizeError(driverError({ kind: "TooManyConnections" })).status).toBe(500);
    expect(normalizeError(driverError({ kind: "postgres", code: "40001", originalCode: "40001" })).status).toBe(500);
    expect(normalizeError(Object.assign(new Error("x"), { name: "PrismaClientKnownRequestError", code: "P2002" })).status).toBe(500);
  });
});
