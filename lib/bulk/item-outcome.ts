import { type FailureContext, normalizeError } from "@/lib/errors";

/** What applying one bulk item came to: its status, and the message shown on its row and in the results CSV. */
export type ItemOutcome = { status: "OK" | "SKIPPED" | "FAILED"; message: string };

/** An item whose use case threw: FAILED, with the message a person is shown for that error. */
export function failedItem(error: unknown, context: FailureContext): ItemOutcome {
  return { status: "FAILED", message: normalizeError(error, context).message };
}
