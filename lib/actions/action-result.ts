import { normalizeError } from "@/lib/errors";

/** A failed action as its form shows it: a summary, and each invalid field's problem by the field's name. */
type ActionFailure = { ok: false; error: string; fieldErrors?: Record<string, string> };

export type ActionResult<T = undefined> = { ok: true; message?: string; data?: T } | ActionFailure;

/** Runs a server action's use case and turns any failure into a result the form shows. */
export async function runAction<T>(fn: () => Promise<{ message?: string; data?: T } | void>): Promise<ActionResult<T>> {
  try {
    const out = (await fn()) ?? {};
    return { ok: true, ...out };
  } catch (error) {
    return toActionFailure(error);
  }
}

// The form wording of a failure. A form shows each field's problem beside the field, so its
// summary leaves the field names out.
function toActionFailure(error: unknown): ActionFailure {
  const { message, fieldErrors } = normalizeError(error, { during: "form action" });
  if (!fieldErrors) return { ok: false, error: message };
  return {
    ok: false,
    error: fieldErrors.map((f) => f.message).join("; "),
    fieldErrors: Object.fromEntries(fieldErrors.map((f) => [f.path, f.message])),
  };
}
