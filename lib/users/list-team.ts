import { db } from "@/lib/db";

/** The vendor team, oldest first. A null lastLoginAt means invited but not signed in yet. */
export function listTeam() {
  return db.user.findMany({
    where: { customerId: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, email: true, name: true, role: true, lastLoginAt: true },
  });
}
