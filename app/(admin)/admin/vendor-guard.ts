import { redirect } from "next/navigation";
import { VENDOR_WRITER_ROLES } from "@/lib/auth/roles";
import { requireVendor, type SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * Every admin page loads its data through this, not only the layout: on client navigation the
 * layout is not rendered again, so the page must check on its own.
 */
export async function vendorPage(): Promise<SessionUser> {
  try {
    return await requireVendor();
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") redirect("/login");
    throw error;
  }
}

/** Hides write controls; the server actions check again with requireVendorWriter(). */
export const canWrite = (user: SessionUser) => VENDOR_WRITER_ROLES.includes(user.role);
