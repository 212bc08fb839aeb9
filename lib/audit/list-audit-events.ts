import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { likeLiteral } from "@/lib/search/contains-text";

// The admin's audit log and its CSV export. Pages are keyset pages on (at, id), newest first, so a
// page deep in millions of events costs the same as the first: no OFFSET and no total count.

const DAY_MS = 86_400_000;
const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH_SIZE = 1000;

/** A position in the log: the event at which a page starts or ends. */
export type AuditCursor = { at: Date; id: bigint };

// Up to 18 digits keeps any id inside PostgreSQL's bigint.
const CURSOR = /^(\d{1,15})_(\d{1,18})$/;

/** Compact and URL-safe: milliseconds since the epoch (the column's precision), then the id. */
export const cursorParam = (cursor: AuditCursor) => `${cursor.at.getTime()}_${cursor.id}`;

const cursorSchema = z
  .string()
  .regex(CURSOR)
  .transform((value): AuditCursor => {
    const [, ms, id] = CURSOR.exec(value)!;
    return { at: new Date(Number(ms)), id: BigInt(id!) };
  })
  .optional()
  .catch(undefined);

const text = z.string().trim().min(1).max(200).optional().catch(undefined);
const utcDay = z.iso.date().optional().catch(undefined);

/** Query-string values are untrusted: anything malformed falls back to no filter, or to the newest page. */
export const auditQuerySchema = z.object({
  // Part of the actor's label (an email, an API key's name, a job), or an actor id exactly.
  actor: text,
  // The start of an action name: "aws." or "entitlement.revoked".
  action: text,
  // Part of the customer's name, or a customer id exactly.
  customer: text,
  // Whole days in UTC, both inclusive.
  from: utcDay,
  to: utcDay,
  // Older than this event (the next page), or newer than it (the previous page).
  before: cursorSchema,
  after: cursorSchema,
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;
export type AuditFilters = Pick<AuditQuery, "actor" | "action" | "customer" | "from" | "to">;

/** The filters as query-string values, for links that keep them (pages, export). */
export const auditFilterParams = ({ actor, action, customer, from, to }: AuditFilters) => ({ actor, action, customer, from, to });

export const hasAuditFilters = (filters: AuditFilters) => Object.values(auditFilterParams(filters)).some(Boolean);


/** The WHERE clause of both the page and the export. */
function auditWhere(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.actor) {
    and.push({ OR: [{ actorId: filters.actor }, { actorLabel: { contains: likeLiteral(filters.actor), mode: "insensitive" } }] });
  }
  if (filters.action) and.push({ action: { startsWith: likeLiteral(filters.action) } });
  // Both tests inside the one subquery on customers: an OR around it would make PostgreSQL test
  // every event instead of reading the (customerId, at) index for the customers found.
  if (filters.customer) {
    and.push({ customer: { OR: [{ id: filters.customer }, { name: { contains: likeLiteral(filters.customer), mode: "insensitive" } }] } });
  }
  if (filters.from) and.push({ at: { gte: new Date(`${filters.from}T00:00:00.000Z`) } });
  if (filters.to) and.push({ at: { lt: new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + DAY_MS) } });
  return { AND: and };
}

// The redundant bound on `at` alone lets PostgreSQL start its index scan at the cursor instead of
// filtering every event on the way there.
const olderThan = (c: AuditCursor): Prisma.AuditEventWhereInput => ({ at: { lte: c.at }, OR: [{ at: { lt: c.at } }, { id: { lt: c.id } }] });
const newerThan = (c: AuditCursor): Prisma.AuditEventWhereInput => ({ at: { gte: c.at }, OR: [{ at: { gt: c.at } }, { id: { gt: c.id } }] });

const NEWEST_FIRST: Prisma.AuditEventOrderByWithRelationInput[] = [{ at: "desc" }, { id: "desc" }];
const OLDEST_FIRST: Prisma.AuditEventOrderByWithRelationInput[] = [{ at: "asc" }, { id: "asc" }];

/** What the audit table shows of an event. */
export const auditRowSelect = {
  id: true,
  at: true,
  actorLabel: true,
  action: true,
  entitlementId: true,
  data: true,
  customer: { select: { id: true, name: true } },
} as const satisfies Prisma.AuditEventSelect;

export type AuditEventRow = Prisma.AuditEventGetPayload<{ select: typeof auditRowSelect }>;

const position = (row: AuditCursor): AuditCursor => ({ at: row.at, id: row.id });

export type AuditPage = {
  events: AuditEventRow[];
  /** Pass as `after` for the newer page; null on the newest. */
  newer: AuditCursor | null;
  /** Pass as `before` for the older page; null on the oldest. */
  older: AuditCursor | null;
};

async function anyEvent(where: Prisma.AuditEventWhereInput) {
  return (await db.auditEvent.findFirst({ where, select: { id: true } })) !== null;
}

/** One page of events, newest first, and the positions of the pages either side. */
export async function listAuditEvents(query: AuditQuery): Promise<AuditPage> {
  const where = auditWhere(query);
  const towardsNewer = !query.before && query.after !== undefined;
  const cursor = query.before ?? query.after;
  const rows = await db.auditEvent.findMany({
    where: cursor ? { AND: [where, towardsNewer ? newerThan(cursor) : olderThan(cursor)] } : where,
    orderBy: towardsNewer ? OLDEST_FIRST : NEWEST_FIRST,
    take: AUDIT_PAGE_SIZE + 1,
    select: auditRowSelect,
  });
  const more = rows.length > AUDIT_PAGE_SIZE;
  const events = rows.slice(0, AUDIT_PAGE_SIZE);

  if (towardsNewer) {
    // Back at the newest events: show the first page itself, full and with no "newer" link.
    if (!more) return listAuditEvents({ ...query, after: undefined });
    events.reverse();
    const last = events.at(-1)!;
    return { events, newer: position(events[0]!), older: (await anyEvent({ AND: [where, olderThan(last)] })) ? position(last) : null };
  }

  const older = more ? position(events.at(-1)!) : null;
  if (!cursor) return { events, newer: null, older };
  // From an empty page past the oldest event, the way back starts at the cursor itself.
  const first = events[0] ? position(events[0]) : cursor;
  return { events, newer: (await anyEvent({ AND: [where, newerThan(first)] })) ? first : null, older };
}

const exportSelect = { ...auditRowSelect, actorType: true, actorId: true } as const satisfies Prisma.AuditEventSelect;
export type ExportedAuditEvent = Prisma.AuditEventGetPayload<{ select: typeof exportSelect }>;

/** Every matching event, newest first, in batches read one after another as the caller asks. */
export async function* auditEventBatches(filters: AuditFilters): AsyncGenerator<ExportedAuditEvent[], void, undefined> {
  const where = auditWhere(filters);
  let cursor: AuditCursor | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: cursor ? { AND: [where, olderThan(cursor)] } : where,
      orderBy: NEWEST_FIRST,
      take: EXPORT_BATCH_SIZE,
      select: exportSelect,
    });
    if (batch.length > 0) yield batch;
    if (batch.length < EXPORT_BATCH_SIZE) return;
    cursor = position(batch.at(-1)!);
  }
}

/**
 * Every distinct action name, for the filter's suggestions. A loose index scan over the
 * (action, at) index: one index probe per distinct name, however many events there are.
 */
export async function knownAuditActions(): Promise<string[]> {
  const rows = await db.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE names(action) AS (
      (SELECT "action" FROM "AuditEvent" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT e."action" FROM "AuditEvent" e WHERE e."action" > names.action ORDER BY e."action" LIMIT 1)
      FROM names WHERE names.action IS NOT NULL
    )
    SELECT action FROM names WHERE action IS NOT NULL`;
  return rows.map((r) => r.action);
}
