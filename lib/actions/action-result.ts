import { normalizeError } from "@/lib/errors";
import { type ActionFailure, formFailure } from "./form-failure";

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

function toActionFailure(error: unknown): ActionFailure {
  const { message, fieldErrors } = normalizeError(error, { during: "form action" });
  return formFailure(message, fieldErrors);
}
