import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { db } from "@/lib/db";
import { grantsAccess } from "@/lib/lifecycle/entitlement-lifecycle";
import { log } from "@/lib/log";

const actor = systemActor("welcome email");

/**
 * The welcome, the first of a customer's lifecycle notices: emails its owners that their access is
 * ready, with a sign-in link, the first time one of its entitlements is provisioned and grants
 * access. Safe to call at any time and from any number of workers: `welcomedAt` is claimed by a
 * conditional update before anything is sent, so the email goes at most once per customer.
 * Returns whether this call sent it.
 */
export async function welcomeCustomer(customerId: string, now = new Date()) {
  const customer = await db.customer.findFirst({ where: { id: customerId, welcomedAt: null }, select: { id: true } });
  if (!customer) return false;
  const synced = await db.entitlement.findMany({
    where: { customerId, status: "ACTIVE", syncStatus: "SYNCED", startsAt: { lte: now } },
    orderBy: { createdAt: "asc" },
    select: { status: true, startsAt: true, expiresAt: true, product: { select: { name: true, gracePeriodDays: true } } },
  });
  const products = [...new Set(synced.filter((e) => grantsAccess(e, e.product.gracePeriodDays, now)).map((e) => e.product.name))];
  if (products.length === 0) return false;
  const owners = await db.user.findMany({ where: { customerId, role: "CUSTOMER_OWNER" }, select: { id: true, email: true } });

  const claimed = await db.$transaction(async (tx) => {
    const { count } = await tx.customer.updateMany({ where: { id: customerId, welcomedAt: null }, data: { welcomedAt: now } });
    if (count === 1) {
      await recordAuditEvent(tx, { actor, action: "customer.welcomed", customerId, data: { products, to: owners.map((o) => o.email) } });
    }
    return count === 1;
  });
  if (!claimed) return false;

  const product = products.join(", ");
  for (const owner of owners) {
    // Not retried: the owner can always ask for a sign-in link on the sign-in page.
    await sendSignInLink(owner, { kind: "welcome", product }).catch((error: unknown) =>
      log().error({ err: error, customerId, userId: owner.id }, "welcome email failed"),
    );
  }
  return true;
}

/**
 * Welcomes every customer whose access is ready and who has not been welcomed: the lifecycle
 * pass's first step, so later notices of the pass know who has had the welcome.
 */
export async function welcomeDueCustomers(now = new Date()) {
  const due = await db.customer.findMany({
    where: { welcomedAt: null, entitlements: { some: { status: "ACTIVE", syncStatus: "SYNCED", startsAt: { lte: now } } } },
    select: { id: true },
    take: 500,
  });
  let welcomed = 0;
  for (const { id } of due) if (await welcomeCustomer(id, now)) welcomed++;
  return welcomed;
}
