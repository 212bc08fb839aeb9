import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { cappedCount, offsetOf, PAGE_SIZE, pageSchema } from "@/lib/search/paging";
import { matchingCustomerIds } from "./matching-customer-ids";

/** Query-string values are untrusted: an odd page falls back to the first. */
export const customerQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  page: pageSchema,
});

export type CustomerQuery = z.infer<typeof customerQuerySchema>;

export type CustomerRow = {
  id: string;
  name: string;
  createdAt: Date;
  /** The customer's first user's email; null when it has none. */
  email: string | null;
  users: number;
  activeEntitlements: number;
  entitlements: number;
  /** Registered own AWS accounts (cross-account pulls), and whether Pullgate issues it keys too. */
  ownAccounts: number;
  keyAccess: boolean;
};

/** One page of the admin's customer list, newest first, and how many match. */
export async function listCustomers(query: CustomerQuery) {
  const where = query.q ? Prisma.sql`WHERE c.id IN (${matchingCustomerIds(query.q)})` : Prisma.empty;
  const [count, rows] = await Promise.all([
    cappedCount(Prisma.sql`SELECT 1 FROM "Customer" c ${where}`),
    // The page is cut first, so only its rows are counted up.
    db.$queryRaw<CustomerRow[]>`
      SELECT c.id, c.name, c."createdAt", c."keyAccess",
        (SELECT u.email FROM "User" u WHERE u."customerId" = c.id ORDER BY u."createdAt" LIMIT 1) AS email,
        (SELECT count(*)::int FROM "User" u WHERE u."customerId" = c.id) AS users,
        (SELECT count(*)::int FROM "Entitlement" e WHERE e."customerId" = c.id AND e.status = 'ACTIVE') AS "activeEntitlements",
        (SELECT count(*)::int FROM "Entitlement" e WHERE e."customerId" = c.id) AS entitlements,
        (SELECT count(*)::int FROM "CustomerAccount" a WHERE a."liveFor" = c.id) AS "ownAccounts"
      FROM (
        SELECT c.* FROM "Customer" c ${where}
        ORDER BY c."createdAt" DESC, c.id DESC
        LIMIT ${PAGE_SIZE} OFFSET ${offsetOf(query.page)}
      ) c
      ORDER BY c."createdAt" DESC, c.id DESC`,
  ]);
  return { rows, ...count };
}
