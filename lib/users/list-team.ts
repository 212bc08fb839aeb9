import { db } from "@/lib/db";

/**
 * The users of one scope, oldest first: a customer's (by its id) or the vendor team (null). A
 * null lastLoginAt means invited but not signed in yet.
 */
export function listTeam(customerId: string | null) {
  return db.user.findMany({
    where: { customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, email: true, name: true, role: true, lastLoginAt: true },
  });
}
