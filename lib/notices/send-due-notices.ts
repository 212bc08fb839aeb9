import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { sendMail } from "@/lib/mail/send-mail";
import { addDays } from "@/lib/time/days";
import { isVendorNotice, noticeEmail, type NoticeKind } from "./notice-email";

const actor = systemActor("notices");
// Ends older than this are history, not news: a first deployment does not email every past expiry.
const ENDED_NEWS_DAYS = 2;
// A claim this old that was never marked sent belongs to a worker that died mid-send: retried.
const STALE_CLAIM_MS = 10 * 60_000;
const BATCH = 500;

const entitlementFields = {
  id: true,
  customerId: true,
  status: true,
  expiresAt: true,
  endedReason: true,
  syncError: true,
  customer: { select: { name: true } },
  product: { select: { name: true, gracePeriodDays: true, renewalUrl: true } },
} as const;
type Due = Prisma.EntitlementGetPayload<{ select: typeof entitlementFields }>;

/**
 * The notice an active entitlement is due now: of the offsets (30, 7, 1 days) it has come within,
 * the nearest, so an entitlement granted with ten days left gets the 30-day notice once, then the
 * 7- and 1-day ones. Null when it is further out than every offset.
 */
export function expiringNotice(expiresAt: Date, now: Date, offsets: number[]): NoticeKind | null {
  const within = offsets.filter((d) => expiresAt <= addDays(now, d));
  return within.length === 0 ? null : `expiring-${Math.min(...within)}`;
}

/**
 * Emails every notice that is due: expiry warnings at PULLGATE_EXPIRY_NOTICE_DAYS, and the end of
 * access (expired or revoked). Each is claimed by inserting its row first (unique per entitlement,
 * kind and term), so concurrent sweeps and restarts send it once; a send that failed, or whose
 * worker died, is retried by a later sweep.
 */
export async function sendDueNotices(now = new Date()): Promise<{ sent: number; failed: number }> {
  const offsets = env().PULLGATE_EXPIRY_NOTICE_DAYS;
  const due: { entitlement: Due; kind: NoticeKind }[] = [];
  if (offsets.length > 0) {
    const expiring = await db.entitlement.findMany({
      // Only once the customer has been told its access is ready: a warning never comes first.
      where: {
        status: "ACTIVE",
        startsAt: { lte: now },
        expiresAt: { gt: now, lte: addDays(now, Math.max(...offsets)) },
        customer: { welcomedAt: { not: null } },
      },
      select: { ...entitlementFields, notices: { select: { kind: true, expiresAt: true } } },
      take: BATCH * 10,
    });
    for (const { notices, ...entitlement } of expiring) {
      const kind = expiringNotice(entitlement.expiresAt, now, offsets);
      const sent = notices.some((n) => n.kind === kind && n.expiresAt.getTime() === entitlement.expiresAt.getTime());
      if (kind && !sent) due.push({ entitlement, kind });
    }
  }
  const ended = await db.entitlement.findMany({
    where: { status: { in: ["EXPIRED", "REVOKED"] }, endedAt: { gte: addDays(now, -ENDED_NEWS_DAYS) } },
    select: { ...entitlementFields, notices: { where: { kind: { in: ["expired", "revoked"] } }, select: { id: true } } },
    take: BATCH,
  });
  for (const { notices, ...entitlement } of ended) {
    if (notices.length === 0) due.push({ entitlement, kind: entitlement.status === "EXPIRED" ? "expired" : "revoked" });
  }
  due.push(...(await vendorNoticesDue(now)));

  const recipients = recipientsOfPass();
  const outcomes: boolean[] = [];
  for (const { entitlement, kind } of due) {
    const notice = await claim(entitlement, kind, now);
    if (notice) outcomes.push(await deliver(notice.id, entitlement, kind, now, recipients));
  }
  for (const stale of await staleClaims(now)) outcomes.push(await deliver(stale.id, stale.entitlement, stale.kind as NoticeKind, now, recipients));
  return { sent: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length };
}

/** The vendor hears of failed provisioning and of expiries, once per entitlement and term each. */
async function vendorNoticesDue(now: Date): Promise<{ entitlement: Due; kind: NoticeKind }[]> {
  const [failed, expired] = await Promise.all([
    db.entitlement.findMany({
      where: { status: "ACTIVE", syncStatus: "FAILED", notices: { none: { kind: "vendor-failed" } } },
      select: entitlementFields,
      take: BATCH,
    }),
    db.entitlement.findMany({
      where: { status: "EXPIRED", endedAt: { gte: addDays(now, -ENDED_NEWS_DAYS) }, notices: { none: { kind: "vendor-expired" } } },
      select: entitlementFields,
      take: BATCH,
    }),
  ]);
  return [...failed.map((entitlement) => ({ entitlement, kind: "vendor-failed" as const })), ...expired.map((entitlement) => ({ entitlement, kind: "vendor-expired" as const }))];
}

async function claim(entitlement: Due, kind: NoticeKind, now: Date) {
  try {
    return await db.entitlementNotice.create({ data: { entitlementId: entitlement.id, kind, expiresAt: entitlement.expiresAt, claimedAt: now } });
  } catch (error) {
    // Another worker claimed it first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}

/** Claims left unsent by a failed send or a dead worker, each taken over by one sweep. */
async function staleClaims(now: Date) {
  const before = new Date(now.getTime() - STALE_CLAIM_MS);
  const stale = await db.entitlementNotice.findMany({
    where: { sentAt: null, claimedAt: { lt: before } },
    select: { id: true, kind: true, expiresAt: true, entitlement: { select: entitlementFields } },
    take: BATCH,
  });
  const taken = [];
  for (const notice of stale) {
    // A warning about a term that was renewed or has ended since is not news any more.
    const outdated =
      notice.kind.startsWith("expiring-") &&
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
async function deliver(noticeId: string, entitlement: Due, kind: NoticeKind, now: Date, recipients: Recipients) {
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
