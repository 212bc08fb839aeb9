import { guardPage } from "@/app/guard-page";
import { VENDOR_WRITER_ROLES } from "@/lib/auth/roles";
import { requireVendor, type SessionUser } from "@/lib/auth/session";

/** Every admin page loads its data through this, not only the layout. */
export const vendorPage = () => guardPage(requireVendor);

/** Hides write controls; the server actions check again with requireVendorWriter(). */
export const canWrite = (user: SessionUser) => VENDOR_WRITER_ROLES.includes(user.role);
