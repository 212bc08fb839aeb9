import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, isUniqueViolation } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { sendMail } from "@/lib/mail/send-mail";
import { recordLifecycleWebhook } from "./lifecycle-webhook";
import { dueEntitlementFields, dueLifecycleEvents, type DueEntitlement } from "./due-lifecycle-events";
import { isVendorNotice, noticeEmail, type NoticeKind } from "./notice-email";
import { welcomeDueCustomers } from "./welcome-customer";

const actor = systemActor("notices");
// A claim this old that was never marked sent belongs to a worker that died mid-send: retried.
const STALE_CLAIM_MS = 10 * 60_000;
const BATCH = 500;

/**
 * Tells every lifecycle event that is due on both channels: emails (the welcome, access ready, expiry warnings
 * at PULLGATE_EXPIRY_NOTICE_DAYS, the end of access, and the vendor's notices) and the vendor's
 * webhook outbox. Each email is claimed by inserting its row first (unique per entitlement, kind
 * and term), and each webhook event by its unique key, so concurrent sweeps and restarts tell it
 * once; a send that failed, or whose worker died, is retried by a later sweep.
 */
export async function sendDueNotices(now = new Date()): Promise<{ welcomed: number; sent: number; failed: number; webhookEvents: number }> {
  const welcomed = await welcomeDueCustomers(now);
  const due = await dueLifecycleEvents(now, env().PULLGATE_EXPIRY_NOTICE_DAYS);
  const recipients = recipientsOfPass();
  const outcomes: boolean[] = [];
  let webhookEvents = 0;
  for (const { entitlement, event, emails, webhook } of due) {
    if (webhook && (await recordLifecycleWebhook(entitlement, event, now))) webhookEvents += 1;
    for (const kind of emails) {
      const notice = await claim(entitlement, kind, now);
      if (notice) outcomes.push(await deliver(notice.id, entitlement, kind, now, recipients));
    }
  }
  for (const stale of await staleClaims(now)) outcomes.push(await deliver(stale.id, stale.entitlement, stale.kind as NoticeKind, now, recipients));
  return { welcomed, sent: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length, webhookEvents };
}

async function claim(entitlement: DueEntitlement, kind: NoticeKind, now: Date) {
  try {
    return await db.entitlementNotice.create({ data: { entitlementId: entitlement.id, kind, expiresAt: entitlement.expiresAt, claimedAt: now } });
  } catch (error) {
    // Another worker claimed it first.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Claims left unsent by a failed send or a dead worker, each taken over by one sweep. */
async function staleClaims(now: Date) {
  const before = new Date(now.getTime() - STALE_CLAIM_MS);
  const stale = await db.entitlementNotice.findMany({
    where: { sentAt: null, claimedAt: { lt: before } },
    select: { id: true, kind: true, expiresAt: true, entitlement: { select: dueEntitlementFields } },
    take: BATCH,
  });
  const taken = [];
  for (const notice of stale) {
    // A warning or a ready notice about a term that was renewed or has ended since is not news any more.
    const outdated =
      (notice.kind.startsWith("expiring-") || notice.kind === "ready") &&
      (notice.entitlement.status !== "ACTIVE" || notice.entitlement.expiresAt.getTime() !== notice.expiresAt.getTime());
    if (outdated) {
      await db.entitlementNotice.deleteMany({ where: { id: notice.id, sentAt: null } });
      continue;
    }
    const { count } = await db.entitlementNotice.updateMany({ where: { id: notice.id, sentAt: null, claimedAt: { lt: before } }, data: { claimedAt: now } });
    if (count === 1) taken.push(notice);
  }
  return taken;
}

type Recipients = (kind: NoticeKind, customerId: string) => Promise<{ email: string }[]>;

/**
 * The vendor's notices go to its owners and admins, read once per pass (a month's end brings
 * many); the others to every user of the entitlement's customer.
 */
function recipientsOfPass(): Recipients {
  const usersWhere = (where: Prisma.UserWhereInput) => db.user.findMany({ where, select: { email: true }, orderBy: { createdAt: "asc" } });
  let vendor: Promise<{ email: string }[]> | undefined;
  return (kind, customerId) =>
    isVendorNotice(kind) ? (vendor ??= usersWhere({ role: { in: ["VENDOR_OWNER", "VENDOR_ADMIN"] } })) : usersWhere({ customerId });
}

/** Sends the notice to its recipients; true once it is marked sent. */
async function deliver(noticeId: string, entitlement: DueEntitlement, kind: NoticeKind, now: Date, recipients: Recipients) {
  const users = await recipients(kind, entitlement.customerId);
  const subject = {
    entitlementId: entitlement.id,
    customerName: entitlement.customer.name,
    productName: entitlement.product.name,
    expiresAt: entitlement.expiresAt,
    gracePeriodDays: entitlement.product.gracePeriodDays,
    renewalUrl: entitlement.product.renewalUrl,
    syncError: entitlement.syncError,
  };
  try {
    for (const { email } of users) await sendMail(noticeEmail(email, kind, subject, now));
  } catch (error) {
    log().error({ err: error, entitlementId: entitlement.id, kind }, "notice email failed; retried later");
    return false;
  }
  await db.entitlementNotice.update({ where: { id: noticeId }, data: { sentAt: new Date() } });
  await recordAuditEvent(db, {
    actor,
    action: "notice.sent",
    customerId: entitlement.customerId,
    entitlementId: entitlement.id,
    data: { kind, to: users.map((u) => u.email) },
  });
  return true;
}
