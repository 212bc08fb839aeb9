import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { listWithheldInvitations } from "./withheld-invitations";

/**
 * A user as the team tables show it; a null lastLoginAt means invited but not signed in yet.
 * lastSignInMethod is how they last signed in ("password", "link", "passkey"); mfa whether they
 * have a second factor (TOTP or a passkey).
 * `withheld` marks an invitation of an address that belongs elsewhere: for the vendor's eyes only.
 */
export type TeamMember = {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  lastLoginAt: Date | null;
  lastSignInMethod: string | null;
  mfa: boolean;
  withheld?: boolean;
};

/**
 * The users of one scope, oldest first: a customer's (by its id) or the vendor team (null). A
 * customer's list includes its withheld invitations as pending users, alike in every field.
 */
export async function listTeam(customerId: string | null): Promise<TeamMember[]> {
  return (await listTeamForVendor(customerId)).map((m) => ({
    id: m.id,
    email: m.email,
    name: m.name,
    role: m.role,
    lastLoginAt: m.lastLoginAt,
    lastSignInMethod: m.lastSignInMethod,
    mfa: m.mfa,
  }));
}

/** The same list, with the withheld invitations marked: only for vendor staff. */
export async function listTeamForVendor(customerId: string | null): Promise<Required<TeamMember>[]> {
  const [users, withheld] = await Promise.all([
    db.user.findMany({
      where: { customerId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        lastLoginAt: true,
        lastSignInMethod: true,
        totpEnabledAt: true,
        _count: { select: { passkeys: true } },
        createdAt: true,
      },
    }),
    customerId === null ? [] : listWithheldInvitations(customerId),
  ]);
  const members = users.map(({ totpEnabledAt, _count, ...u }) => ({ ...u, mfa: totpEnabledAt !== null || _count.passkeys > 0 }));
  // A pending user has not signed in and has no second factor: a withheld invitation says the same.
  const rows = [...members, ...withheld.map((w) => ({ ...w, name: null, lastLoginAt: null, lastSignInMethod: null, mfa: false, withheld: true }))];
  rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  // Built field by field, so both kinds of row have the same shape.
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    lastLoginAt: r.lastLoginAt,
    lastSignInMethod: r.lastSignInMethod,
    mfa: r.mfa,
    withheld: "withheld" in r,
  }));
}
