import { z } from "zod";
import { AppError } from "@/lib/errors";

// The one strict reading of untrusted text, emails, dates and ids, for every entry point (the v1
// API, the Stripe webhook, sign-in, server actions). What PostgreSQL cannot store (NUL, unpaired
// surrogates, years past its range) is refused here as invalid input, never left to fail there.

/** The longest single text value any field takes unless told (a form's pasted list of 5,000 ids fits); each schema caps its field lower. */
export const MAX_TEXT = 200_000;
/** RFC 5321's limit for a forward path, and so for any address we store. */
export const MAX_EMAIL = 254;
/** Dates Pullgate takes: entitlements, keys and Stripe periods all fall in this range of years. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2999;

// C0 controls but tab, line feed and carriage return (which a textarea sends), and DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Why a piece of text cannot be taken as it is, or null when it can. */
export function textProblem(value: string, { max = MAX_TEXT, multiline = true }: { max?: number; multiline?: boolean } = {}): string | null {
  if (value.length > max) return `is longer than ${max.toLocaleString("en-US")} characters`;
  if (value.includes("\u0000")) return "contains a NUL byte";
  if (!value.isWellFormed()) return "is not well-formed Unicode (it has an unpaired surrogate)";
  if (CONTROL.test(value) || (!multiline && /[\t\n\r]/.test(value))) return "contains a control character";
  return null;
}

/** The problem of the first string in a parsed JSON value (keys included) that is not fit to keep, with its path. */
export function jsonTextProblem(value: unknown, path = "", limits: { max?: number } = {}): { path: string; message: string } | null {
  if (typeof value === "string") {
    const problem = textProblem(value, limits);
    return problem ? { path, message: `${path || "the value"} ${problem}` } : null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const keyProblem = textProblem(key, { max: 200, multiline: false });
    if (keyProblem) return { path: at, message: `a field name ${keyProblem}` };
    const inner = jsonTextProblem(item, at, limits);
    if (inner) return inner;
  }
  return null;
}

/** Throws INVALID_INPUT naming the first string in a parsed JSON body that is not fit to keep. */
export function assertCleanJson(value: unknown, limits: { max?: number } = {}): void {
  const problem = jsonTextProblem(value, "", limits);
  if (problem) throw new AppError("INVALID_INPUT", problem.message, [problem]);
}

/** A single line of text: trimmed, at most `max` characters, nothing PostgreSQL or a person cannot read. */
export const strictText = (max: number) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = textProblem(value, { max, multiline: false });
      if (problem) ctx.addIssue({ code: "custom", message: `The text ${problem}` });
    });

/** Free text such as a reason or a description: like strictText, but line breaks and tabs are kept. */
export const strictMultilineText = (max: number) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = textProblem(value, { max });
      if (problem) ctx.addIssue({ code: "custom", message: `The text ${problem}` });
    });

/** An email address: trimmed, lower-cased, at most 254 characters, checked before the syntax is. */
export const strictEmail = (message = "Enter a valid email address") =>
  z
    .string({ error: message })
    .trim()
    .toLowerCase()
    .superRefine((value, ctx) => {
      if (textProblem(value, { max: MAX_EMAIL, multiline: false })) ctx.addIssue({ code: "custom", message });
    })
    .pipe(z.email(message));

/** The address as stored, or null when it is not one (for callers that answer the same either way). */
export function emailOrNull(value: string): string | null {
  const parsed = strictEmail().safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The domain of an address emailOrNull accepted: what follows its last @. */
export const emailDomain = (email: string) => email.slice(email.lastIndexOf("@") + 1);

// YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] with Z or an offset; the offset is required with a time.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * An ISO 8601 date or date-time as an instant: a real calendar day (2027-02-31 is refused, not read
 * as March 3), a real time and offset, a year from MIN_YEAR to MAX_YEAR. A bare date is midnight UTC.
 */
export function parseIsoInstant(value: string): Date | null {
  const m = ISO_8601.exec(value);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  if (year! < MIN_YEAR || year! > MAX_YEAR || month! < 1 || month! > 12 || hour > 23 || minute > 59 || second > 59) return null;
  if (day! < 1 || day! > new Date(Date.UTC(year!, month!, 0)).getUTCDate()) return null;
  let offset = m[8] ?? "Z";
  if (offset !== "Z") {
    const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)!;
    if (Number(oh) > 23 || Number(om) > 59) return null;
    offset = `${sign}${oh}:${om}`;
  }
  // Rebuilt in the one form every engine reads alike: milliseconds, an offset with a colon.
  const fraction = (m[7] ?? "").padEnd(3, "0").slice(0, 3);
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}.${fraction}${offset}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The example every date message gives. */
export const ISO_EXAMPLE = "2027-01-31T00:00:00Z";

/** A required instant field, as a Date: see parseIsoInstant. */
export const strictInstant = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .max(40, `${field} must be an ISO 8601 date, e.g. ${ISO_EXAMPLE}`)
    .transform((value, ctx) => {
      const at = parseIsoInstant(value);
      if (at) return at;
      ctx.addIssue({ code: "custom", message: `${field} must be an ISO 8601 date, e.g. ${ISO_EXAMPLE}, with a real calendar day in the years ${MIN_YEAR}–${MAX_YEAR}` });
      return z.NEVER;
    });

/** Whether an instant computed from input (a Stripe period, a date plus days) is one Pullgate keeps. */
export const isSaneInstant = (at: Date) => !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= MIN_YEAR && at.getUTCFullYear() <= MAX_YEAR;

// Record ids are cuids; Stripe's and the API's own ids use letters, digits, _ and -; slugs the same.
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

/** Whether a value from a path or a bound form argument could name a record at all. */
export const isIdShaped = (value: unknown): value is string => typeof value === "string" && ID_SHAPE.test(value);

/** Throws NOT_FOUND for an id no record could have (a NUL, `%00`, a megabyte), before any query. */
export function assertIdShaped(value: unknown, what = "record"): asserts value is string {
  if (!isIdShaped(value)) throw new AppError("NOT_FOUND", `No ${what} with that id`);
}
