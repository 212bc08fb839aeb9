import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { ownerRole } from "./roles";

/**
 * The ids of the scope's owners, locked until the transaction ends: removals and demotions in one
 * scope then run one after another, so two of them at once cannot both leave it without an owner.
 * Rows are locked in id order, so two such transactions never deadlock.
 */
export async function lockOwners(tx: Tx, customerId: string | null): Promise<string[]> {
  const scope = customerId === null ? Prisma.sql`"customerId" IS NULL` : Prisma.sql`"customerId" = ${customerId}`;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE role = ${ownerRole(customerId)}::"UserRole" AND ${scope} ORDER BY id FOR UPDATE`;
  return rows.map((r) => r.id);
}

/** Refuses taking the owner role from `user` (by removal or demotion) when nobody else holds it. */
export function refuseLastOwner(ownerIds: string[], customerId: string | null, user: { id: string; email: string; role: UserRole }) {
  if (user.role !== ownerRole(customerId) || ownerIds.some((id) => id !== user.id)) return;
  throw new AppError(
    "CONFLICT",
    customerId === null
      ? `${user.email} is the team's only owner. Make another team member an owner first.`
      : `${user.email} is this customer's only owner. Invite another owner first.`,
  );
}
