import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Tx } from "@/lib/db";
import { accessEndsAt, type Timing } from "@/lib/lifecycle/entitlement-lifecycle";

/**
 * Revokes a customer's live pull tokens inside the caller's transaction: those one person made
 * (they leave the organisation), or all of them (the customer's last entitlement ended). Returns
 * them as revoked, with the end of their latest session, for endRevokedTokenSessions once committed.
 */
export async function revokePullTokensOf(tx: Tx, { actor, customerId, createdById, reason }: { actor: Actor; customerId: string; createdById?: string; reason: string }) {
  const tokens = await tx.pullToken.updateManyAndReturn({
    where: { customerId, revokedAt: null, ...(createdById ? { createdById } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
    select: { id: true, customerId: true, name: true, brokeredUntil: true },
  });
  for (const token of tokens) await recordAuditEvent(tx, { actor, customerId, action: "pull_token.revoked", data: { id: token.id, name: token.name, reason } });
  return tokens;
}

/**
 * Whether the customer still holds an entitlement that is not over: active (started or not) and
 * before its access ends, or suspended (it may resume). Pull tokens end with the last one.
 */
export const holdsLiveEntitlement = (entitlements: (Timing & { product: { gracePeriodDays: number } })[], now: Date) =>
  entitlements.some((e) => e.status === "SUSPENDED" || (e.status === "ACTIVE" && now < accessEndsAt(e.expiresAt, e.product.gracePeriodDays)));
