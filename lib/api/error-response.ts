import { NextResponse } from "next/server";
import { type AppErrorCode, type FailureContext, type FieldError, normalizeError } from "@/lib/errors";

/** The body of every JSON error answer; the OpenAPI document's `Error` schema describes it. */
export type ErrorBody = { error: { code: AppErrorCode; message: string; details?: FieldError[] } };

/** The HTTP wording of a failure: its code's status, and the invalid fields as `details`. */
export function toPublicError(error: unknown, context?: FailureContext): { status: number; body: ErrorBody } {
  const { code, status, message, fieldErrors } = normalizeError(error, context);
  return { status, body: { error: { code, message, ...(fieldErrors && { details: fieldErrors }) } } };
}

/** A failed request's JSON answer, for routes that answer with the code's own status. */
export function errorResponse(error: unknown, context?: FailureContext): NextResponse<ErrorBody> {
  const { status, body } = toPublicError(error, context);
  return NextResponse.json(body, { status });
}
