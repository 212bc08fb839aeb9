import { forbidden, redirect } from "next/navigation";
import { requireCustomer } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * The page-level check: pages render alongside their layout, so each checks on its own.
 * Signed out goes to the sign-in page; a signed-in user without a customer role gets a real 403.
 */
export async function customerPage() {
  try {
    return await requireCustomer();
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") redirect("/login");
    if (error instanceof AppError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}
