import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// The admin's entitlement table. Filters and sorts are WHERE and ORDER BY clauses on indexed
// columns; the substring search is not indexed yet (see BENCHMARKS.md).

const DAY_MS = 86_400_000;
const ENTITLEMENTS_PAGE_SIZE = 50;

const ENTITLEMENT_FILTERS = ["active", "pending", "failed", "scheduled", "suspended", "expired", "revoked"] as const;
export const EXPIRY_WINDOWS = ["7", "30", "90"] as const;
const ENTITLEMENT_SORTS = ["newest", "oldest", "expires-soonest", "expires-latest", "customer"] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** Query-string values are untrusted: anything unknown falls back to no filter and the default sort. */
export const entitlementQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: optionalEnum(ENTITLEMENT_FILTERS),
  product: z.string().trim().max(100).optional().catch(undefined),
  expiring: optionalEnum(EXPIRY_WINDOWS),
  sort: z.enum(ENTITLEMENT_SORTS).catch("newest").default("newest"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type EntitlementQuery = z.infer<typeof entitlementQuerySchema>;

const ORDER: Record<(typeof ENTITLEMENT_SORTS)[number], Prisma.EntitlementOrderByWithRelationInput[]> = {
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  oldest: [{ createdAt: "asc" }, { id: "asc" }],
  "expires-soonest": [{ expiresAt: "asc" }, { id: "asc" }],
  "expires-latest": [{ expiresAt: "desc" }, { id: "desc" }],
  customer: [{ customer: { name: "asc" } }, { id: "asc" }],
};

/** Granting access now and provisioned. */
export const activeWhere = (now: Date): Prisma.EntitlementWhereInput => ({ status: "ACTIVE", startsAt: { lte: now }, expiresAt: { gt: now }, syncStatus: "SYNCED" });

/** Still active and ending within the next `days` days. */
export const expiringWithinWhere = (days: number, now: Date): Prisma.EntitlementWhereInput => ({
  status: "ACTIVE",
  expiresAt: { gt: now, lte: new Date(now.getTime() + days * DAY_MS) },
});

function statusWhere(status: EntitlementQuery["status"], now: Date): Prisma.EntitlementWhereInput {
  switch (status) {
    case "active":
      return activeWhere(now);
    case "pending":
      return { syncStatus: "PENDING" };
    case "failed":
      return { syncStatus: "FAILED" };
    case "scheduled":
      return { status: "ACTIVE", startsAt: { gt: now } };
    case "suspended":
      return { status: "SUSPENDED" };
    case "expired":
      return { OR: [{ status: "EXPIRED" }, { status: "ACTIVE", expiresAt: { lte: now } }] };
    case "revoked":
      return { status: "REVOKED" };
    default:
      return {};
  }
}

/**
 * What the search box finds: an access key id or an IAM user name exactly (the way they are
 * copied from AWS), or a customer name, user email or product name containing the text.
 */
function searchWhere(q: string | undefined): Prisma.EntitlementWhereInput {
  if (!q) return {};
  if (/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(q)) {
    return { customer: { identities: { some: { accessKeys: { some: { accessKeyId: q } } } } } };
  }
  const contains = { contains: q, mode: "insensitive" as const };
  return {
    OR: [
      { customer: { name: contains } },
      { customer: { users: { some: { email: contains } } } },
      { customer: { identities: { some: { userName: q } } } },
      { product: { name: contains } },
    ],
  };
}

function entitlementWhere(query: EntitlementQuery, now: Date): Prisma.EntitlementWhereInput {
  const and: Prisma.EntitlementWhereInput[] = [statusWhere(query.status, now), searchWhere(query.q)];
  if (query.product) and.push({ product: { slug: query.product } });
  if (query.expiring) and.push(expiringWithinWhere(Number(query.expiring), now));
  return { AND: and };
}

/** One page of the table and the total matching, newest first unless asked otherwise. */
export async function listEntitlements(query: EntitlementQuery, now = new Date()) {
  const where = entitlementWhere(query, now);
  const [total, rows] = await Promise.all([
    db.entitlement.count({ where }),
    db.entitlement.findMany({
      where,
      orderBy: ORDER[query.sort],
      skip: (query.page - 1) * ENTITLEMENTS_PAGE_SIZE,
      take: ENTITLEMENTS_PAGE_SIZE,
      select: {
        id: true,
        status: true,
        syncStatus: true,
        startsAt: true,
        expiresAt: true,
        product: { select: { name: true, gracePeriodDays: true } },
        customer: {
          select: {
            id: true,
            name: true,
            users: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 1 },
            identities: { where: { liveFor: { not: null } }, select: { userName: true } },
          },
        },
      },
    }),
  ]);
  return { total, rows, pageCount: Math.max(1, Math.ceil(total / ENTITLEMENTS_PAGE_SIZE)) };
}
