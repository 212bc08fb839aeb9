import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { ENTITLEMENT_FILTERS, EXPIRY_WINDOWS, expiringWithinCondition, statusCondition } from "./entitlement-filters";
import { containsText } from "@/lib/search/contains-text";
import { cappedCount, offsetOf, PAGE_SIZE, pageSchema } from "@/lib/search/paging";
import { matchingCustomerIds } from "@/lib/customers/matching-customer-ids";

// The admin's entitlement table, written in SQL because it is the dashboard's hottest query:
// one statement for the page (joins and the first user's email included) and one for the count,
// which stops at the last page that can be opened (past it, filters and search do the work). Filters and sorts use indexed columns; the
// search resolves to ids first, through its own indexes.

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
  page: pageSchema,
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
  const [byText, byUserName, products] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT id FROM (${matchingCustomerIds(q)}) matching LIMIT ${SEARCH_CUSTOMER_LIMIT + 1}`,
    db.awsIdentity.findMany({ where: { userName: q }, select: { customerId: true } }),
    db.product.findMany({ where: { name: containsText(q) }, select: { id: true } }),
  ]);
  const ids = new Set([...byText.map((c) => c.id), ...byUserName.map((i) => i.customerId)]);
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
  const [count, rows] = await Promise.all([
    cappedCount(Prisma.sql`SELECT 1 FROM "Entitlement" e ${where}`),
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
        LIMIT ${PAGE_SIZE} OFFSET ${offsetOf(query.page)}
      ) e
      JOIN "Customer" c ON c.id = e."customerId"
      JOIN "Product" p ON p.id = e."productId"
      ORDER BY ${ORDER_BY[query.sort]}`,
  ]);
  return { rows, ...count, searchTruncated };
}
