import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { accessEndsAt, displayState } from "./lifecycle";

/** The public shape of an entitlement in the v1 API and in webhook events, as of `now`. */
export async function presentEntitlement(id: string, now = new Date()) {
  const e = await db.entitlement.findUnique({
    where: { id },
    include: {
      product: { select: { slug: true, gracePeriodDays: true } },
      customer: {
        select: {
          id: true,
          name: true,
          users: { where: { role: "CUSTOMER_OWNER" }, select: { email: true }, take: 1 },
          identities: { where: { status: { not: "DELETED" } }, select: { arn: true }, take: 1 },
        },
      },
    },
  });
  if (!e) throw new AppError("NOT_FOUND", `No entitlement ${id}`);
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
