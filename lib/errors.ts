import { ZodError } from "zod";
import { log } from "@/lib/log";

/**
 * Every error code Pullgate answers with: its HTTP status, and what a person is told when the
 * code comes without a message of its own. The `AppErrorCode` type, the statuses and the OpenAPI
 * document's enum are all read from this one list.
 */
export const ERROR_CODES = {
  INVALID_INPUT: { status: 422, message: "The input is not valid" },
  MALFORMED_BODY: { status: 400, message: "The text is not UTF-8; save it as UTF-8 and send it again" },
  UNAUTHENTICATED: { status: 401, message: "Sign in first" },
  FORBIDDEN: { status: 403, message: "You may not do this" },
  INSUFFICIENT_SCOPE: { status: 403, message: "This API key is read-only; use a read-write key to make changes" },
  NOT_FOUND: { status: 404, message: "Not found" },
  CONFLICT: { status: 409, message: "This conflicts with the current state; reload and try again" },
  PAYLOAD_TOO_LARGE: { status: 413, message: "This is too large to accept" },
  RATE_LIMITED: { status: 429, message: "Too many requests; wait a minute and try again" },
  AWS_ERROR: { status: 502, message: "AWS did not complete the change yet; it is retried automatically" },
  UNAVAILABLE: { status: 503, message: "This is not available right now" },
  INTERNAL: { status: 500, message: "Something went wrong. Please try again." },
} as const satisfies Record<string, { status: number; message: string }>;

export type AppErrorCode = keyof typeof ERROR_CODES;

/** The codes in their listed order (the OpenAPI enum). */
export const APP_ERROR_CODES = Object.keys(ERROR_CODES) as AppErrorCode[];

/** One problem with one input field: its dotted path ("" for the input as a whole) and what is wrong. */
export type FieldError = { path: string; message: string };

/** An expected failure: its code, a message fit to show a person, and for invalid input each field's problem. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/** Any thrown value as every surface (HTTP, forms, bulk items) sees it. */
export type NormalizedError = { code: AppErrorCode; status: number; message: string; fieldErrors?: FieldError[] };

/** Fields logged with a failure on our side, to tell where it happened (e.g. `during`, `url`). */
export type FailureContext = Record<string, unknown>;

/**
 * The one reading of a thrown value: invalid input (zod) lists its fields, an AppError stands as
 * it is, and anything else is INTERNAL with the generic message, its own text never shown. A
 * failure on our side (a 5xx code) is logged, so no surface has to remember to.
 */
export function normalizeError(error: unknown, context: FailureContext = {}): NormalizedError {
  const normalized = classify(error);
  if (normalized.status >= 500) log().error({ err: error, code: normalized.code, ...context }, "failed on our side");
  return normalized;
}

function classify(error: unknown): NormalizedError {
  if (error instanceof ZodError) {
    const fieldErrors = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return { ...codeOf("INVALID_INPUT"), message: fieldErrors.map(namingItsField).join("; "), fieldErrors };
  }
  if (error instanceof AppError) {
    return { ...codeOf(error.code), message: error.message, ...(error.fieldErrors && { fieldErrors: error.fieldErrors }) };
  }
  if (isInputRefusedByDatabase(error)) {
    // Validation (lib/validation) should have caught it: logged so the gap is found, never shown.
    log().warn({ err: error }, "the database refused input that validation let through");
    return { ...codeOf("INVALID_INPUT"), message: "A value is too long, out of range or contains characters that cannot be stored" };
  }
  return { ...codeOf("INTERNAL"), message: ERROR_CODES.INTERNAL.message };
}

// PostgreSQL's classes for a value it cannot take: 22 (data exception: NUL and other bytes it cannot
// store, a date out of range, text too long, bad JSON text) and 54000 (an index row too large).
const REFUSED_VALUE_SQLSTATE = /^(22[0-9A-Z]{3}|54000)$/;
// Prisma's codes for the same: too long, invalid, out of range, inconsistent column data.
const REFUSED_VALUE_PRISMA = new Set(["P2000", "P2006", "P2007", "P2019", "P2020", "P2023", "P2033"]);
// Values Prisma's engine refuses before they reach the database (a lone surrogate in JSON, a year past 9999).
const REFUSED_VALUE_ENGINE = /JSON Error: (?:lone|unexpected end of hex escape|invalid unicode)|Could not convert argument value .*DateTime/i;

/** Whether a database error says the input was unfit to store, rather than that something broke. */
function isInputRefusedByDatabase(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, originalCode, kind, message } = e as Record<string, unknown>;
    if (typeof name === "string" && name.startsWith("Prisma") && typeof code === "string" && REFUSED_VALUE_PRISMA.has(code)) return true;
    if (name === "PrismaClientUnknownRequestError" && typeof message === "string" && REFUSED_VALUE_ENGINE.test(message)) return true;
    if (kind === "LengthMismatch" || kind === "ValueOutOfRange") return true;
    const sqlState = typeof originalCode === "string" ? originalCode : kind === "postgres" && typeof code === "string" ? code : undefined;
    if (sqlState && REFUSED_VALUE_SQLSTATE.test(sqlState)) return true;
  }
  return false;
}

const codeOf = (code: AppErrorCode) => ({ code, status: ERROR_CODES[code].status });

// Read on its own (an API answer, a bulk item's row), a field's problem says which field.
const namingItsField = ({ path, message }: FieldError) => (path && !message.startsWith(path) ? `${path}: ${message}` : message);
