import { z } from "zod";
import { cursorPage, pageQuerySchema } from "@/lib/paging/cursor-page";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { EntitlementStatus } from "@/lib/generated/prisma/enums";
import { presentedEntitlementInclude, toPublicEntitlement } from "./present-entitlement";

// An integration asks precisely, so unlike the admin table's query string an unknown
// filter value is an error here, not "no filter".
const entitlementPageQuerySchema = pageQuerySchema.extend({
  customerId: z.string().min(1).max(100).optional(),
  product: z.string().min(1).max(100).optional(),
  status: z.enum(EntitlementStatus).optional(),
});

/** A page of entitlements for the v1 API, filtered by customer, product slug and status. */
export async function pageEntitlements(query: Record<string, string>) {
  const { customerId, product, status, ...page } = entitlementPageQuerySchema.parse(query);
  const now = new Date();
  const filter: Prisma.EntitlementWhereInput = { customerId, status, product: product === undefined ? undefined : { slug: product } };
  return cursorPage(
    page,
    filter,
    (window) => db.entitlement.findMany({ ...window, include: presentedEntitlementInclude }),
    (e) => toPublicEntitlement(e, now),
  );
}
