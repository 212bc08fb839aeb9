import type { FieldError } from "@/lib/errors";

/** A failed action as its form shows it: a summary, and each invalid field's problem by the field's name. */
export type ActionFailure = { ok: false; error: string; fieldErrors?: Record<string, string> };

// A form shows each field's problem beside the field, so its summary leaves the field names out.
export function formFailure(message: string, fieldErrors?: FieldError[]): ActionFailure {
  if (!fieldErrors) return { ok: false, error: message };
  return {
    ok: false,
    error: fieldErrors.map((f) => f.message).join("; "),
    fieldErrors: Object.fromEntries(fieldErrors.map((f) => [f.path, f.message])),
  };
}
