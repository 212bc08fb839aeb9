import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { ENTITLEMENT_FILTERS, EXPIRY_WINDOWS, expiringWithinCondition, statusCondition } from "./entitlement-filters";
import { containsText } from "@/lib/search/contains-text";

// The admin's entitlement table, written in SQL because it is the dashboard's hottest query:
// one statement for the page (joins and the first user's email included) and one for the count,
// which stops at the last page that can be opened (past it, filters and search do the work). Filters and sorts use indexed columns; the
// search resolves to ids first, through its own indexes.

const PAGE_SIZE = 50;
const MAX_PAGE = 200;
const COUNT_CAP = MAX_PAGE * PAGE_SIZE;
/** More customers than this matching a search is a search to narrow, not a list to page through. */
const SEARCH_CUSTOMER_LIMIT = 2_000;

const SORTS = ["newest", "oldest", "expires-soonest", "expires-latest", "customer"] as const;
const ORDER_BY: Record<(typeof SORTS)[number], Prisma.Sql> = {
  newest: Prisma.sql`e."createdAt" DESC, e.id DESC`,
  oldest: Prisma.sql`e."createdAt" ASC, e.id ASC`,
  "expires-soonest": Prisma.sql`e."expiresAt" ASC, e.id ASC`,
  "expires-latest": Prisma.sql`e."expiresAt" DESC, e.id DESC`,
  customer: Prisma.sql`c.name ASC, e.id ASC`,
};

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** Query-string values are untrusted: anything unknown falls back to no filter and the default sort. */
export const entitlementQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: optionalEnum(ENTITLEMENT_FILTERS),
  product: z.string().trim().max(100).optional().catch(undefined),
  expiring: optionalEnum(EXPIRY_WINDOWS),
  sort: z.enum(SORTS).catch("newest").default("newest"),
  page: z.coerce.number().int().min(1).catch(1).transform((n) => Math.min(n, MAX_PAGE)),
});

export type EntitlementQuery = z.infer<typeof entitlementQuerySchema>;

type SearchTargets = { customerIds: string[]; productIds: string[]; truncated: boolean };

/**
 * What the search box finds: an access key id or an IAM user name exactly (the way they are
 * copied from AWS), or a customer name, user email or product name containing the text
 * (trigram indexes serve the substrings).
 */
async function searchTargets(q: string): Promise<SearchTargets> {
  if (/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(q)) {
    const key = await db.accessKey.findUnique({ where: { accessKeyId: q }, select: { identity: { select: { customerId: true } } } });
    return { customerIds: key ? [key.identity.customerId] : [], productIds: [], truncated: false };
  }
  const contains = containsText(q);
  const take = SEARCH_CUSTOMER_LIMIT + 1;
  const [byName, byEmail, byUserName, products] = await Promise.all([
    db.customer.findMany({ where: { name: contains }, select: { id: true }, take }),
    db.user.findMany({ where: { email: contains, customerId: { not: null } }, select: { customerId: true }, take }),
    db.awsIdentity.findMany({ where: { userName: q }, select: { customerId: true } }),
    db.product.findMany({ where: { name: contains }, select: { id: true } }),
  ]);
  const ids = new Set([...byName.map((c) => c.id), ...byEmail.map((u) => u.customerId!), ...byUserName.map((i) => i.customerId)]);
  return { customerIds: [...ids].slice(0, SEARCH_CUSTOMER_LIMIT), productIds: products.map((p) => p.id), truncated: ids.size > SEARCH_CUSTOMER_LIMIT };
}

async function conditions(query: EntitlementQuery, now: Date) {
  const where: Prisma.Sql[] = [];
  if (query.status) where.push(statusCondition(query.status, now));
  if (query.expiring) where.push(expiringWithinCondition(Number(query.expiring), now));
  if (query.product) where.push(Prisma.sql`e."productId" = (SELECT id FROM "Product" WHERE slug = ${query.product})`);
  const search = query.q ? await searchTargets(query.q) : null;
  if (search) where.push(Prisma.sql`(e."customerId" = ANY(${search.customerIds}::text[]) OR e."productId" = ANY(${search.productIds}::text[]))`);
  return { where: where.length > 0 ? Prisma.join(where, " AND ", "WHERE ") : Prisma.empty, searchTruncated: search?.truncated ?? false };
}

export type EntitlementRow = {
  id: string;
  status: EntitlementStatus;
  syncStatus: SyncStatus;
  startsAt: Date;
  expiresAt: Date;
  productName: string;
  gracePeriodDays: number;
  customerId: string;
  customerName: string;
  email: string | null;
  iamUserName: string | null;
};

/** One page of the table and how many match, newest first unless asked otherwise. */
export async function listEntitlements(query: EntitlementQuery, now = new Date()) {
  const { where, searchTruncated } = await conditions(query, now);
  const [counted, rows] = await Promise.all([
    db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Entitlement" e ${where} LIMIT ${COUNT_CAP + 1}) matching`,
    // The page is cut from the entitlements alone; only its 50 rows are then joined and
    // decorated, so a deep page costs an index walk, not 10,000 joins.
    db.$queryRaw<EntitlementRow[]>`
      SELECT e.id, e.status::text AS status, e."syncStatus"::text AS "syncStatus", e."startsAt", e."expiresAt",
        p.name AS "productName", p."gracePeriodDays", c.id AS "customerId", c.name AS "customerName",
        (SELECT u.email FROM "User" u WHERE u."customerId" = c.id ORDER BY u."createdAt" LIMIT 1) AS email,
        (SELECT i."userName" FROM "AwsIdentity" i WHERE i."liveFor" = c.id) AS "iamUserName"
      FROM (
        SELECT e.* FROM "Entitlement" e ${query.sort === "customer" ? Prisma.sql`JOIN "Customer" c ON c.id = e."customerId"` : Prisma.empty}
        ${where}
        ORDER BY ${ORDER_BY[query.sort]}
        LIMIT ${PAGE_SIZE} OFFSET ${(query.page - 1) * PAGE_SIZE}
      ) e
      JOIN "Customer" c ON c.id = e."customerId"
      JOIN "Product" p ON p.id = e."productId"
      ORDER BY ${ORDER_BY[query.sort]}`,
  ]);
  const matching = Number(counted[0]?.n ?? 0);
  const total = Math.min(matching, COUNT_CAP);
  return { rows, total, totalIsCapped: matching > COUNT_CAP, searchTruncated, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
