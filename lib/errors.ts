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
  return { ...codeOf("INTERNAL"), message: ERROR_CODES.INTERNAL.message };
}

const codeOf = (code: AppErrorCode) => ({ code, status: ERROR_CODES[code].status });

// Read on its own (an API answer, a bulk item's row), a field's problem says which field.
const namingItsField = ({ path, message }: FieldError) => (path && !message.startsWith(path) ? `${path}: ${message}` : message);
