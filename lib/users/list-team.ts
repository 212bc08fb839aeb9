import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";

/** A user as the team tables show it; a null lastLoginAt means invited but not signed in yet. */
export type TeamMember = { id: string; email: string; name: string | null; role: UserRole; lastLoginAt: Date | null };

/** The users of one scope, oldest first: a customer's (by its id) or the vendor team (null). */
export function listTeam(customerId: string | null): Promise<TeamMember[]> {
  return db.user.findMany({
    where: { customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, email: true, name: true, role: true, lastLoginAt: true },
  });
}
