import { guardPage } from "@/app/guard-page";
import { requireCustomer } from "@/lib/auth/session";

/** The portal page's own check, besides its layout's. */
export const customerPage = () => guardPage(requireCustomer);
