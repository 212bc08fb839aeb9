import { revalidatePath } from "next/cache";
import type { SessionUser } from "@/lib/auth/session";
import { runAction, type ActionResult } from "./action-result";

/**
 * The shape of every admin server action: the role check runs first, before any input is read,
 * then one use case; afterwards the admin pages show the new state.
 */
export async function guardedAction(guard: () => Promise<SessionUser>, fn: (user: SessionUser) => Promise<string>): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => ({ message: await fn(await guard()) }));
  revalidatePath("/admin", "layout");
  return result;
}
