import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { runAction } from "@/lib/actions/action-result";
import { errorResponse, toPublicError } from "@/lib/api/error-response";
import { openApiDocument } from "@/lib/api/openapi";
import { failedItem } from "@/lib/bulk/item-outcome";
import { APP_ERROR_CODES, AppError, ERROR_CODES, normalizeError } from "@/lib/errors";
import { setLogDestination } from "@/lib/log";

const logged: Record<string, unknown>[] = [];
setLogDestination({ write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }, "error");
beforeEach(() => {
  logged.length = 0;
});

const invalidInput = () =>
  z
    .object({ email: z.email("Not an email address"), days: z.number().int("days must be a whole number") })
    .safeParse({ email: "nobody", days: 1.5 }).error!;
const conflict = () => new AppError("CONFLICT", "A revoked entitlement cannot be extended; grant a new one");
const unexpected = () => new Error("connection to 10.0.0.7 refused");

const GENERIC = ERROR_CODES.INTERNAL.message;
// Standing alone, a problem names its field unless its message already starts with it.
const INVALID_SUMMARY = "email: Not an email address; days must be a whole number";
const FIELD_ERRORS = [
  { path: "email", message: "Not an email address" },
  { path: "days", message: "days must be a whole number" },
];

describe("normalizeError", () => {
  it("reads invalid input as INVALID_INPUT with each field's problem, and does not log it", () => {
    expect(normalizeError(invalidInput())).toStrictEqual({ code: "INVALID_INPUT", status: 422, message: INVALID_SUMMARY, fieldErrors: FIELD_ERRORS });
    expect(logged).toEqual([]);
  });

  it("keeps an AppError as it is, with the code's status", () => {
    expect(normalizeError(conflict())).toStrictEqual({ code: "CONFLICT", status: 409, message: conflict().message });
    expect(logged).toEqual([]);
  });

  it("gives an AppError without a message its code's default one", () => {
    expect(normalizeError(new AppError("NOT_FOUND")).message).toBe(ERROR_CODES.NOT_FOUND.message);
  });

  it("reads anything else as INTERNAL with the generic message, and logs it with its context", () => {
    expect(normalizeError(unexpected(), { during: "test" })).toStrictEqual({ code: "INTERNAL", status: 500, message: GENERIC });
    expect(logged).toMatchObject([{ level: 50, code: "INTERNAL", during: "test", err: { message: "connection to 10.0.0.7 refused" } }]);
  });

  it("logs an AppError of a failure on our side too", () => {
    normalizeError(new AppError("AWS_ERROR"));
    expect(logged).toMatchObject([{ code: "AWS_ERROR" }]);
  });
});

describe("the HTTP surface", () => {
  it("answers invalid input 422 with the fields as details, in the body's exact shape", () => {
    const { status, body } = toPublicError(invalidInput());
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toBe(JSON.stringify({ error: { code: "INVALID_INPUT", message: INVALID_SUMMARY, details: FIELD_ERRORS } }));
  });

  it("answers an AppError with its code's status and no details", () => {
    expect(toPublicError(conflict())).toStrictEqual({ status: 409, body: { error: { code: "CONFLICT", message: conflict().message } } });
  });

  it("answers anything else 500 INTERNAL without its own text, and logs it", () => {
    expect(toPublicError(unexpected(), { during: "API request" })).toStrictEqual({ status: 500, body: { error: { code: "INTERNAL", message: GENERIC } } });
    expect(logged).toMatchObject([{ during: "API request" }]);
  });

  it("builds the JSON response from the same mapping", async () => {
    const res = errorResponse(new AppError("FORBIDDEN"));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", message: ERROR_CODES.FORBIDDEN.message } });
  });
});

describe("the form surface", () => {
  const failing = (error: unknown) => runAction(() => Promise.reject(error));

  it("shows invalid input by field, its summary without the field names", async () => {
    expect(await failing(invalidInput())).toStrictEqual({
      ok: false,
      error: "Not an email address; days must be a whole number",
      fieldErrors: { email: "Not an email address", days: "days must be a whole number" },
    });
  });

  it("shows an AppError's message", async () => {
    expect(await failing(conflict())).toStrictEqual({ ok: false, error: conflict().message });
  });

  it("shows anything else as the generic message, and logs it", async () => {
    expect(await failing(unexpected())).toStrictEqual({ ok: false, error: GENERIC });
    expect(logged).toMatchObject([{ code: "INTERNAL", during: "form action" }]);
  });
});

describe("the bulk item surface", () => {
  const context = { during: "bulk item", operationId: "op1", entitlementId: "ent1" };

  it("records invalid input as FAILED with the summary naming its fields", () => {
    expect(failedItem(invalidInput(), context)).toStrictEqual({ status: "FAILED", message: INVALID_SUMMARY });
  });

  it("records an AppError's message", () => {
    expect(failedItem(conflict(), context)).toStrictEqual({ status: "FAILED", message: conflict().message });
  });

  it("records anything else as the generic message, and logs it with the item", () => {
    expect(failedItem(unexpected(), context)).toStrictEqual({ status: "FAILED", message: GENERIC });
    expect(logged).toMatchObject([{ code: "INTERNAL", ...context }]);
  });
});

describe("the OpenAPI document", () => {
  it("lists exactly the error codes, in their order", () => {
    const error = openApiDocument.components.schemas.Error.properties.error as { properties: { code: { enum: unknown } } };
    expect(error.properties.code.enum).toEqual(APP_ERROR_CODES);
    expect(APP_ERROR_CODES).toEqual(Object.keys(ERROR_CODES));
  });
});
