import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { accessEndsAt, displayState } from "@/lib/lifecycle/entitlement-lifecycle";

/** What the v1 API's entitlement shape reads, for one entitlement or a page of them. */
export const presentedEntitlementInclude = {
  product: { select: { slug: true, gracePeriodDays: true } },
  customer: {
    select: {
      id: true,
      name: true,
      users: { where: { role: "CUSTOMER_OWNER" }, select: { email: true }, take: 1 },
      identities: { where: { status: { not: "DELETED" } }, select: { arn: true }, take: 1 },
    },
  },
} satisfies Prisma.EntitlementInclude;

type PresentableEntitlement = Prisma.EntitlementGetPayload<{ include: typeof presentedEntitlementInclude }>;

/** The public shape of an entitlement in the v1 API and in webhook events, as of `now`. */
export function toPublicEntitlement(e: PresentableEntitlement, now = new Date()) {
  return {
    id: e.id,
    status: e.status,
    state: displayState(e, e.product.gracePeriodDays, now),
    provisioning: { status: e.syncStatus, error: e.syncError, syncedAt: e.syncedAt },
    product: e.product.slug,
    customer: { id: e.customer.id, name: e.customer.name, email: e.customer.users[0]?.email ?? null },
    kind: e.kind,
    source: e.source,
    externalRef: e.externalRef,
    startsAt: e.startsAt,
    expiresAt: e.expiresAt,
    accessEndsAt: accessEndsAt(e.expiresAt, e.product.gracePeriodDays),
    endedAt: e.endedAt,
    iamUserArn: e.customer.identities[0]?.arn ?? null,
    createdAt: e.createdAt,
  };
}

export async function presentEntitlement(id: string, now = new Date()) {
  const e = await db.entitlement.findUnique({ where: { id }, include: presentedEntitlementInclude });
  if (!e) throw new AppError("NOT_FOUND", `No entitlement ${id}`);
  return toPublicEntitlement(e, now);
}
