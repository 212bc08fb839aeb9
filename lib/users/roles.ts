import { z } from "zod";
import { CUSTOMER_ROLES, VENDOR_ROLES } from "@/lib/auth/roles";
import type { UserRole } from "@/lib/generated/prisma/enums";

// Every user belongs to one scope: a customer (its id) or the vendor team (null). Each scope has
// its own roles, and its owner role must always keep a holder.

const scopeRoles = (customerId: string | null) => (customerId === null ? VENDOR_ROLES : CUSTOMER_ROLES);

export const ownerRole = (customerId: string | null): UserRole => (customerId === null ? "VENDOR_OWNER" : "CUSTOMER_OWNER");

export const roleLabels: Record<UserRole, string> = {
  VENDOR_OWNER: "Owner",
  VENDOR_ADMIN: "Admin",
  // Worded unlike the header's "Viewer (read-only)", which the e2e role walk finds by its text on every page.
  VENDOR_VIEWER: "Read-only viewer",
  CUSTOMER_OWNER: "Owner",
  CUSTOMER_MEMBER: "Member",
};

export type RoleOption = { value: UserRole; label: string };

export const roleOptions = (customerId: string | null): RoleOption[] => scopeRoles(customerId).map((value) => ({ value, label: roleLabels[value] }));

/** One of the scope's roles, from any string (a form's select): vendor roles for staff, customer roles for customer users. */
export const roleSchema = (customerId: string | null) =>
  z.string({ error: "Choose a role" }).transform((value, ctx) => {
    const role = scopeRoles(customerId).find((r) => r === value);
    if (role) return role;
    ctx.addIssue({ code: "custom", message: `Choose a role: ${roleOptions(customerId).map((r) => r.label).join(", ")}` });
    return z.NEVER;
  });
