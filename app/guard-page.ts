import { forbidden, redirect } from "next/navigation";
import { signInPath } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * Runs a role check for a page: pages render alongside their layout (and alone on client
 * navigation), so each checks on its own. Signed out goes to the sign-in page; a signed-in user
 * without the role gets a real 403; a session still owing its second factor goes to that step.
 */
export async function guardPage<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") redirect(await signInPath());
    if (error instanceof AppError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}
