import type { ActionResult } from "@/lib/actions/action-result";

/** Shows an action's outcome: failures as an alert, successes in a polite live region. */
export function FormMessage({ state }: { state: ActionResult<unknown> | null }) {
  return (
    <>
      {state && !state.ok && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm font-medium text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100"
        >
          {state.error}
        </p>
      )}
      <p role="status" className="text-sm font-medium text-emerald-800 empty:hidden dark:text-emerald-300">
        {state?.ok && state.message ? state.message : ""}
      </p>
    </>
  );
}

export function fieldError(state: ActionResult<unknown> | null, name: string) {
  return state && !state.ok ? state.fieldErrors?.[name] : undefined;
}
