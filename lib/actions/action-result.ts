import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

/** Runs a server action's use case and turns expected failures into a result the form shows. */
export async function runAction<T>(fn: () => Promise<{ message?: string; data?: T } | void>): Promise<ActionResult<T>> {
  try {
    const out = (await fn()) ?? {};
    return { ok: true, ...out };
  } catch (error) {
    if (error instanceof ZodError) {
      const fieldErrors = Object.fromEntries(error.issues.map((i) => [i.path.join("."), i.message]));
      return { ok: false, error: error.issues.map((i) => i.message).join("; "), fieldErrors };
    }
    if (error instanceof AppError) return { ok: false, error: error.message };
    log().error({ err: error }, "action failed");
    return { ok: false, error: "Something went wrong. Please try again." };
  }
}
