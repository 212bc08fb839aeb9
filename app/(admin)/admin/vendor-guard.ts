import { forbidden, redirect } from "next/navigation";
import { VENDOR_WRITER_ROLES } from "@/lib/auth/roles";
import { requireVendor, type SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * Every admin page loads its data through this, not only the layout: pages render alongside
 * their layout (and alone on client navigation), so each must check on its own. Signed out goes
 * to the sign-in page; a signed-in user without a vendor role gets a real 403.
 */
export async function vendorPage(): Promise<SessionUser> {
  try {
    return await requireVendor();
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") redirect("/login");
    if (error instanceof AppError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}

/** Hides write controls; the server actions check again with requireVendorWriter(). */
export const canWrite = (user: SessionUser) => VENDOR_WRITER_ROLES.includes(user.role);
