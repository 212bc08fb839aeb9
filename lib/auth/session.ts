import { getServerSession } from "next-auth";
import { cache } from "react";
import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { CUSTOMER_ROLES, VENDOR_ROLES, VENDOR_WRITER_ROLES } from "./roles";

export type SessionUser = { id: string; email: string; name: string | null; role: UserRole; customerId: string | null };

/**
 * The signed-in user, re-read from the database on every request: a deleted user, a changed
 * role or a bumped session epoch ("sign out everywhere") takes effect at once.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as { uid?: string; epoch?: number } | null;
  if (!session?.uid) return null;
  const user = await db.user.findUnique({
    where: { id: session.uid },
    select: { id: true, email: true, name: true, role: true, customerId: true, sessionEpoch: true },
  });
  if (!user || user.sessionEpoch !== session.epoch) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, customerId: user.customerId };
});

async function requireRole(roles: readonly UserRole[]) {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in first");
  if (!roles.includes(user.role)) throw new AppError("FORBIDDEN", "You do not have access to this");
  return user;
}

/** Anyone signed in, whatever the role: for what a user does to their own account. */
export const requireSignedIn = () => requireRole([...VENDOR_ROLES, ...CUSTOMER_ROLES]);
/** Any vendor staff member, including read-only viewers. */
export const requireVendor = () => requireRole(VENDOR_ROLES);
/** Vendor staff allowed to change things (owners and admins). */
export const requireVendorWriter = () => requireRole(VENDOR_WRITER_ROLES);
/** Vendor owners only: they alone manage the vendor team. */
export const requireVendorOwner = () => requireRole(["VENDOR_OWNER"]);

// Every customer user has a customer: the role implies it.
const withCustomer = (user: SessionUser) => ({ ...user, customerId: user.customerId! });

export const requireCustomer = async () => withCustomer(await requireRole(CUSTOMER_ROLES));
/** The customer's owners only: they alone manage their organisation's users. */
export const requireCustomerOwner = async () => withCustomer(await requireRole(["CUSTOMER_OWNER"]));

export const userActor = (user: SessionUser): Actor => ({ type: "USER", id: user.id, label: user.email });
