import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { readRevokedSessions, writeRevokedSessions } from "@/lib/aws/registry-broker";
import { db } from "@/lib/db";
import { grantsAccess, type Timing } from "@/lib/lifecycle/entitlement-lifecycle";
import { withLock } from "@/lib/locks/advisory-lock";
import { holdsLiveEntitlement, revokePullTokensOf } from "./revoke-pull-tokens";

// Brokered registry credentials outlive a revocation by up to a session (broker-role.ts): a deny
// on the broker role keyed on the customer's source identity ends them at the next pull. The
// desired deny list is every customer that holds no access while a session made for it may still
// be alive; `Customer.brokerDenied` records what was last written, so the database says when
// the policy must change and AWS is read only then.

const accessFields = { status: true, startsAt: true, expiresAt: true, product: { select: { gracePeriodDays: true } } } as const;

type AccessState = { brokeredUntil: Date | null; entitlements: (Timing & { product: { gracePeriodDays: number } })[] };

/** Whether the customer's brokered sessions must be denied now. */
function mustDeny(customer: AccessState, now: Date) {
  return Boolean(customer.brokeredUntil && customer.brokeredUntil > now) && !customer.entitlements.some((e) => grantsAccess(e, e.product.gracePeriodDays, now));
}

/** Writes the deny list the database wants, when it differs from what the role holds; idempotent. */
export async function convergeBrokerDenies(actor: Actor, now = new Date()) {
  return withLock("broker-denies", async () => {
    const candidates = await db.customer.findMany({
      where: { OR: [{ brokeredUntil: { gt: now } }, { brokerDenied: true }] },
      select: { id: true, brokeredUntil: true, brokerDenied: true, entitlements: { select: accessFields } },
    });
    const wanted = candidates.filter((c) => mustDeny(c, now)).map((c) => c.id).sort();
    const current = await readRevokedSessions();
    if (wanted.join() !== current.join()) {
      await writeRevokedSessions(wanted);
      await recordAuditEvent(db, {
        actor,
        action: "aws.broker_sessions_denied",
        data: { denied: wanted.filter((id) => !current.includes(id)), released: current.filter((id) => !wanted.includes(id)) },
      });
    }
    const denied = new Set(wanted);
    await db.customer.updateMany({ where: { id: { in: wanted } }, data: { brokerDenied: true } });
    await db.customer.updateMany({ where: { brokerDenied: true, id: { notIn: [...denied] } }, data: { brokerDenied: false } });
    return wanted;
  });
}

/**
 * The customer's brokered access after its reconcile: its pull tokens end with its last
 * entitlement, and the deny list converges when this customer's place in it changed.
 */
export async function settleBrokeredAccess(customerId: string, actor: Actor, now = new Date()) {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: { brokeredUntil: true, brokerDenied: true, entitlements: { select: accessFields } },
  });
  if (!customer) return;
  if (!holdsLiveEntitlement(customer.entitlements, now)) {
    await db.$transaction((tx) => revokePullTokensOf(tx, { actor, customerId, reason: "The organisation's last entitlement ended" }));
  }
  if (mustDeny(customer, now) !== customer.brokerDenied) await convergeBrokerDenies(actor, now);
}

/** For the minute sweep: drops customers whose last brokered session has expired from the deny list. */
export async function pruneBrokerDenies(actor: Actor, now = new Date()) {
  const expired = await db.customer.count({ where: { brokerDenied: true, OR: [{ brokeredUntil: null }, { brokeredUntil: { lte: now } }] } });
  return expired > 0 ? convergeBrokerDenies(actor, now) : null;
}
