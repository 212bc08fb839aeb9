import { getServerSession } from "next-auth";
import { cache } from "react";
import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { CUSTOMER_ROLES, VENDOR_ROLES, VENDOR_WRITER_ROLES } from "./roles";

export type SessionUser = { id: string; email: string; name: string | null; role: UserRole; customerId: string | null };

type SessionToken = { uid?: string; epoch?: number; sid?: string };

/** Where a session stands: signed in, or still owing its second factor ("verify") or an enrolment ("enrol"). */
export type SessionState = { user: SessionUser; pending: null | "verify" | "enrol"; sid: string | null };

/**
 * The session's user, re-read from the database on every request: a deleted user, a changed
 * role or a bumped session epoch ("sign out everywhere") takes effect at once. A user with TOTP
 * or a passkey, or under a rule that requires it, counts as signed in only once this session (its sid) verified
 * the second factor.
 */
export const sessionState = cache(async (): Promise<SessionState | null> => {
  const session = (await getServerSession(authOptions())) as SessionToken | null;
  if (!session?.uid) return null;
  const sid = typeof session.sid === "string" && session.sid ? session.sid : null;
  const user = await db.user.findUnique({
    where: { id: session.uid },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      customerId: true,
      sessionEpoch: true,
      totpEnabledAt: true,
      passkeys: { select: { id: true }, take: 1 },
      customer: { select: { requireMfa: true } },
      // Never an unfiltered relation: without a sid nothing is verified.
      verifiedSessions: { where: { sid: sid ?? "" }, select: { id: true }, take: 1 },
    },
  });
  if (!user || user.sessionEpoch !== session.epoch) return null;
  const signedIn: SessionUser = { id: user.id, email: user.email, name: user.name, role: user.role, customerId: user.customerId };
  if (sid && user.verifiedSessions.length > 0) return { user: signedIn, pending: null, sid };
  if (user.totpEnabledAt || user.passkeys.length > 0) return { user: signedIn, pending: "verify", sid };
  // Only users without a second factor read the rules; vendor staff read the vendor's one settings row.
  const required = user.customer ? user.customer.requireMfa : (await db.vendorSettings.findUnique({ where: { id: "vendor" } }))?.requireMfa;
  return { user: signedIn, pending: required ? "enrol" : null, sid };
});

/** The signed-in user: null while the session still owes its second factor or an enrolment. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const state = await sessionState();
  return state && !state.pending ? state.user : null;
});

/** A session that signed in with its first factor and still owes the second (or an enrolment). */
export const pendingSecondFactor = cache(async () => {
  const state = await sessionState();
  return state?.pending ? { user: state.user, pending: state.pending, sid: state.sid } : null;
});

/** Where a visitor who is not (fully) signed in goes. */
export async function signInPath(): Promise<string> {
  const pending = await pendingSecondFactor();
  if (pending?.pending === "verify") return "/login/second-factor";
  if (pending?.pending === "enrol") return "/account/security";
  return "/login";
}

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

export const userActor = (user: SessionUser): Extract<Actor, { type: "USER" }> => ({ type: "USER", id: user.id, label: user.email });
