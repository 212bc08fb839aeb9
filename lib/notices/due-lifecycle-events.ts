import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addDays } from "@/lib/time/days";
import type { NoticeKind } from "./notice-email";

/** What happened to an entitlement, told by email (notices) and to the vendor's webhooks. */
export type LifecycleEvent = "ready" | `expiring-${number}` | "expired" | "revoked" | "failed";

// Older news is history: a first deployment announces no past readiness or expiry.
const NEWS_DAYS = 2;
const BATCH = 500;

export const dueEntitlementFields = {
  id: true,
  customerId: true,
  status: true,
  startsAt: true,
  expiresAt: true,
  syncedAt: true,
  endedReason: true,
  syncError: true,
  customer: { select: { name: true, welcomedAt: true } },
  product: { select: { name: true, gracePeriodDays: true, renewalUrl: true } },
} as const;
export type DueEntitlement = Prisma.EntitlementGetPayload<{ select: typeof dueEntitlementFields }>;

/** An event not yet fully told: the notices still to email, and whether its webhook event is still to record. */
export type DueEvent = { entitlement: DueEntitlement; event: LifecycleEvent; emails: NoticeKind[]; webhook: boolean };

/** Names one event of one term, for the webhook outbox's unique key. */
export const lifecycleKey = (entitlementId: string, event: LifecycleEvent, expiresAt: Date) => `${entitlementId}:${event}:${expiresAt.toISOString()}`;

/**
 * The notice an active entitlement is due now: of the offsets (30, 7, 1 days) it has come within,
 * the nearest, so an entitlement granted with ten days left gets the 30-day notice once, then the
 * 7- and 1-day ones. Null when it is further out than every offset.
 */
export function expiringNotice(expiresAt: Date, now: Date, offsets: number[]): `expiring-${number}` | null {
  const within = offsets.filter((d) => expiresAt <= addDays(now, d));
  return within.length === 0 ? null : `expiring-${Math.min(...within)}`;
}

/** When access became usable: provisioned and started, whichever came last. */
const readyAt = (e: DueEntitlement) => new Date(Math.max(e.startsAt.getTime(), e.syncedAt?.getTime() ?? 0));

/**
 * The emails an event calls for. The customer hears nothing before its welcome email, and a ready
 * notice only for access that came after it (the welcome announced the rest). Ends are told
 * regardless, and the vendor's own notices too.
 */
function emailsFor(event: LifecycleEvent, e: DueEntitlement): NoticeKind[] {
  const welcomedAt = e.customer.welcomedAt;
  if (event === "ready") return welcomedAt && readyAt(e) > welcomedAt ? ["ready"] : [];
  if (event === "expired") return ["expired", "vendor-expired"];
  if (event === "revoked") return ["revoked"];
  if (event === "failed") return ["vendor-failed"];
  return welcomedAt ? [event] : [];
}

const selectWithRecords = {
  ...dueEntitlementFields,
  notices: { select: { kind: true, expiresAt: true } },
  webhookEvents: { select: { key: true } },
} as const;
type Candidate = Prisma.EntitlementGetPayload<{ select: typeof selectWithRecords }>;

/**
 * The one detection of lifecycle events, for both channels: every event found that still lacks
 * an email (sent or claimed for the term) or its webhook event. Webhook events do not wait for the
 * customer's welcome: the vendor hears of everything. Entitlements renewed automatically (an
 * active Stripe subscription) get no expiry warnings: they are not about to end.
 */
export async function dueLifecycleEvents(now: Date, offsets: number[]): Promise<DueEvent[]> {
  const recent = addDays(now, -NEWS_DAYS);
  const due: DueEvent[] = [];
  const scan = (where: Prisma.EntitlementWhereInput, eventOf: (c: Candidate) => LifecycleEvent | null) => scanDue(where, eventOf, due);
  await scan(
    {
      status: "ACTIVE",
      syncStatus: "SYNCED",
      startsAt: { lte: now },
      expiresAt: { gt: now },
      OR: [{ syncedAt: { gte: recent } }, { startsAt: { gte: recent } }],
    },
    () => "ready",
  );
  await scan(
    {
      status: "ACTIVE",
      syncStatus: "FAILED",
      OR: [{ notices: { none: { kind: "vendor-failed" } } }, { webhookEvents: { none: { type: "entitlement.provisioning_failed" } } }],
    },
    () => "failed",
  );
  if (offsets.length > 0) {
    await scan(
      { status: "ACTIVE", autoRenews: false, startsAt: { lte: now }, expiresAt: { gt: now, lte: addDays(now, Math.max(...offsets)) } },
      (c) => expiringNotice(c.expiresAt, now, offsets),
    );
  }
  await scan({ status: { in: ["EXPIRED", "REVOKED"] }, endedAt: { gte: recent } }, (c) => (c.status === "EXPIRED" ? "expired" : "revoked"));
  return due;
}

/**
 * Pages through the entitlements matching `where` until a pass's worth of events is due or none
 * are left, so candidates already told (after a month-end wave, thousands) never hide the rest.
 */
async function scanDue(where: Prisma.EntitlementWhereInput, eventOf: (c: Candidate) => LifecycleEvent | null, due: DueEvent[]) {
  for (let cursor: string | undefined; due.length < BATCH; ) {
    const page: Candidate[] = await db.entitlement.findMany({
      where,
      select: selectWithRecords,
      orderBy: { id: "asc" },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const candidate of page) {
      const found = dueEvent(candidate, eventOf(candidate));
      if (found) due.push(found);
    }
    if (page.length < BATCH) return;
    cursor = page.at(-1)!.id;
  }
}

function dueEvent({ notices, webhookEvents, ...entitlement }: Candidate, event: LifecycleEvent | null): DueEvent | null {
  if (!event) return null;
  const term = entitlement.expiresAt.getTime();
  const emails = emailsFor(event, entitlement).filter((kind) => !notices.some((n) => n.kind === kind && n.expiresAt.getTime() === term));
  const webhook = !webhookEvents.some((w) => w.key === lifecycleKey(entitlement.id, event, entitlement.expiresAt));
  return emails.length > 0 || webhook ? { entitlement, event, emails, webhook } : null;
}
