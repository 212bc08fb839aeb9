import { z } from "zod";
import { revokeKeysOnRoleChange } from "@/lib/api-keys/api-keys";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { lockOwners, refuseLastOwner } from "./owners";
import { roleSchema } from "./roles";

const changeRoleSchema = z.object({ role: roleSchema(null) });

type ChangeRoleOptions = { actor: Actor; userId: string; input: z.input<typeof changeRoleSchema> };

/**
 * Gives a vendor team member another role; the team always keeps an owner. The new role applies
 * from the member's next request, since the role is re-read on each one; a role that may not make
 * API keys revokes the member's keys in the same transaction. The same role again changes nothing.
 */
export async function changeStaffRole({ actor, userId, input }: ChangeRoleOptions) {
  const { role } = changeRoleSchema.parse(input);
  return db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, null);
    // Vendor staff only: a customer user's id finds nothing here.
    const user = await tx.user.findFirst({ where: { id: userId, customerId: null }, select: { id: true, email: true, role: true } });
    if (!user) throw new AppError("NOT_FOUND", "Team member not found. They may have been removed.");
    if (user.role === role) return { user, changed: false as const };
    refuseLastOwner(owners, null, user);
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await revokeKeysOnRoleChange(tx, { actor, ownerId: user.id, role });
    await recordAuditEvent(tx, { actor, action: "user.role_changed", data: { userId: user.id, email: user.email, from: user.role, to: role } });
    return { user: { ...user, role }, changed: true as const };
  });
}
