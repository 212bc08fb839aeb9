import type { UserRole } from "@/lib/generated/prisma/enums";

export const VENDOR_ROLES: readonly UserRole[] = ["VENDOR_OWNER", "VENDOR_ADMIN", "VENDOR_VIEWER"];
export const VENDOR_WRITER_ROLES: readonly UserRole[] = ["VENDOR_OWNER", "VENDOR_ADMIN"];
export const CUSTOMER_ROLES: readonly UserRole[] = ["CUSTOMER_OWNER", "CUSTOMER_MEMBER"];

export const isVendor = (role: UserRole) => VENDOR_ROLES.includes(role);
export const isCustomer = (role: UserRole) => CUSTOMER_ROLES.includes(role);
