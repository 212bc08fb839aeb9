import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { fitRevokedSessions, type RevokedSessions } from "@/lib/aws/broker-role";
import { readRevokedSessions, writeRevokedSessions } from "@/lib/aws/registry-broker";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { grantsAccess, type Timing } from "@/lib/lifecycle/entitlement-lifecycle";
import { withLock } from "@/lib/locks/advisory-lock";
import { log } from "@/lib/log";
import { holdsLiveEntitlement, revokePullTokensOf } from "./revoke-pull-tokens";

// Brokered registry credentials outlive a revocation by up to a session (broker-role.ts): a deny
// on the broker role ends them at the next pull, keyed on the customer's source identity when the
// customer loses access, on the token's session tag when one pull token is revoked. The desired
// deny list is every customer that holds no access, and every revoked token of a customer not
// denied as a whole, while a session made for it may still be alive; `brokerDenied` on each
// records what was last written, so the database says when the policy must change and AWS is read
// only then.

const accessFields = { status: true, startsAt: true, expiresAt: true, product: { select: { gracePeriodDays: true } } } as const;

type AccessState = { brokeredUntil: Date | null; entitlements: (Timing & { product: { gracePeriodDays: number } })[] };

/** Whether the customer's brokered sessions must be denied now. */
function mustDeny(customer: AccessState, now: Date) {
  return Boolean(customer.brokeredUntil && customer.brokeredUntil > now) && !customer.entitlements.some((e) => grantsAccess(e, e.product.gracePeriodDays, now));
}

/** Ids in the order the deny list takes them when not all fit: those whose sessions end soonest first, so room comes back soonest. */
const soonestEndingFirst = (rows: { id: string; brokeredUntil: Date | null }[]) =>
  rows.toSorted((a, b) => (a.brokeredUntil?.getTime() ?? 0) - (b.brokeredUntil?.getTime() ?? 0) || a.id.localeCompare(b.id)).map((row) => row.id);

const sameIds = (a: RevokedSessions, b: RevokedSessions) => a.customers.join() === b.customers.join() && a.tokens.join() === b.tokens.join();

/**
 * Writes the deny list the database wants, when it differs from what the role holds; idempotent.
 * What would not fit IAM's limit is left out, logged and audited, and denied once room comes back.
 */
export async function convergeBrokerDenies(actor: Actor, now = new Date()) {
  return withLock("broker-denies", async () => {
    const candidates = await db.customer.findMany({
      where: { OR: [{ brokeredUntil: { gt: now } }, { brokerDenied: true }] },
      select: { id: true, brokeredUntil: true, brokerDenied: true, entitlements: { select: accessFields } },
    });
    const customers = candidates.filter((c) => mustDeny(c, now));
    const deniedCustomers = new Set(customers.map((c) => c.id));
    const tokens = await db.pullToken.findMany({
      where: { revokedAt: { not: null }, brokeredUntil: { gt: now }, customerId: { notIn: [...deniedCustomers] } },
      select: { id: true, brokeredUntil: true },
    });
    const { denied, leftOut } = fitRevokedSessions({ customers: soonestEndingFirst(customers), tokens: soonestEndingFirst(tokens) }, await portalAccount());
    const wanted = { customers: denied.customers.toSorted(), tokens: denied.tokens.toSorted() };
    const unfit = leftOut.customers.length + leftOut.tokens.length > 0;
    if (unfit) log().warn({ leftOut }, "broker deny list full: these revoked sessions run out on their own");
    const current = await readRevokedSessions();
    if (!sameIds(wanted, current)) {
      await writeRevokedSessions(wanted);
      const added = (kind: keyof RevokedSessions) => wanted[kind].filter((id) => !current[kind].includes(id));
      const dropped = (kind: keyof RevokedSessions) => current[kind].filter((id) => !wanted[kind].includes(id));
      await recordAuditEvent(db, {
        actor,
        action: "aws.broker_sessions_denied",
        data: {
          denied: added("customers"),
          released: dropped("customers"),
          deniedTokens: added("tokens"),
          releasedTokens: dropped("tokens"),
          ...(unfit ? { leftOut } : {}),
        },
      });
    }
    await db.$transaction([
      db.customer.updateMany({ where: { id: { in: wanted.customers } }, data: { brokerDenied: true } }),
      db.customer.updateMany({ where: { brokerDenied: true, id: { notIn: wanted.customers } }, data: { brokerDenied: false } }),
      db.pullToken.updateMany({ where: { id: { in: wanted.tokens } }, data: { brokerDenied: true } }),
      db.pullToken.updateMany({ where: { brokerDenied: true, id: { notIn: wanted.tokens } }, data: { brokerDenied: false } }),
    ]);
    return { denied: wanted, leftOut };
  });
}

/**
 * After pull tokens were revoked (and committed): when a session made for one may still be alive,
 * the deny list takes it. Should AWS fail, the revocation stands and the minute sweep retries.
 */
export async function endRevokedTokenSessions(actor: Actor, revoked: { id: string; customerId: string; brokeredUntil: Date | null }[], now = new Date()) {
  if (!revoked.some((token) => token.brokeredUntil && token.brokeredUntil > now)) return;
  try {
    const { leftOut } = await convergeBrokerDenies(actor, now);
    for (const token of revoked.filter((t) => leftOut.tokens.includes(t.id))) {
      await recordAuditEvent(db, {
        actor,
        customerId: token.customerId,
        action: "pull_token.sessions_not_denied",
        data: { id: token.id, until: token.brokeredUntil!.toISOString() },
      });
    }
  } catch (error) {
    log().error({ err: error, tokenIds: revoked.map((t) => t.id) }, "denying revoked pull tokens' sessions failed; the minute sweep retries");
  }
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

/**
 * For the minute sweep: drops customers and tokens whose last brokered session has expired from
 * the deny list, and adds revoked tokens not denied yet (a write that failed, or room come back).
 */
export async function pruneBrokerDenies(actor: Actor, now = new Date()) {
  const expired = { brokerDenied: true, OR: [{ brokeredUntil: null }, { brokeredUntil: { lte: now } }] };
  const [customers, tokens] = await Promise.all([
    db.customer.count({ where: expired }),
    db.pullToken.count({ where: { OR: [expired, { brokerDenied: false, revokedAt: { not: null }, brokeredUntil: { gt: now }, customer: { brokerDenied: false } }] } }),
  ]);
  return customers + tokens > 0 ? convergeBrokerDenies(actor, now) : null;
}
