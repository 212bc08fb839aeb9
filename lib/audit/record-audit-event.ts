import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import type { Actor } from "./actor";

export type AuditInput = {
  actor: Actor;
  action: string;
  customerId?: string | null;
  entitlementId?: string | null;
  data?: Prisma.InputJsonValue;
};

export async function recordAuditEvent(client: Db | Tx, { actor, action, customerId, entitlementId, data }: AuditInput) {
  await client.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.type === "SYSTEM" ? null : actor.id,
      actorLabel: actor.label,
      action,
      customerId: customerId ?? null,
      entitlementId: entitlementId ?? null,
      data,
    },
  });
}
