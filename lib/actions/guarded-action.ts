import { revalidatePath } from "next/cache";
import type { SessionUser } from "@/lib/auth/session";
import { runAction, type ActionResult } from "./action-result";

/**
 * What a change makes stale: the admin area as a whole by default (its lists and counts move
 * together). `onSuccessOnly` where a re-render after a failure would drop the panel showing it.
 */
type Stale = { path: string; type?: "layout" | "page"; onSuccessOnly?: boolean };

/**
 * The shape of a server action that reports a message: the role check runs first, before any
 * input is read, then one use case; afterwards the pages it touched show the new state.
 */
export async function guardedAction<U extends SessionUser>(
  guard: () => Promise<U>,
  fn: (user: U) => Promise<string>,
  stale: Stale = { path: "/admin", type: "layout" },
): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => ({ message: await fn(await guard()) }));
  if (result.ok || !stale.onSuccessOnly) revalidatePath(stale.path, stale.type);
  return result;
}
