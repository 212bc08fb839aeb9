import { ZodError } from "zod";

export type AppErrorCode =
  | "INVALID_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "AWS_ERROR"
  | "UNAVAILABLE";

const statusByCode: Record<AppErrorCode, number> = {
  INVALID_INPUT: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  AWS_ERROR: 502,
  UNAVAILABLE: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status() {
    return statusByCode[this.code];
  }
}

/** One mapping from any thrown value to what a client may see. */
export function toPublicError(error: unknown): { status: number; body: { error: { code: string; message: string; details?: unknown } } } {
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const message = details.map((d) => (d.path && !d.message.startsWith(d.path) ? `${d.path}: ${d.message}` : d.message)).join("; ");
    return { status: 422, body: { error: { code: "INVALID_INPUT", message, details } } };
  }
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "Internal error" } } };
}
