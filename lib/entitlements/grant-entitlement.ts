import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { findOrCreateCustomer } from "@/lib/customers/find-or-create-customer";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EntitlementSource } from "@/lib/generated/prisma/enums";
import { Prisma, type Entitlement } from "@/lib/generated/prisma/client";
import { requestCustomerReconcile, requestExpiry } from "@/lib/jobs/enqueue";
import { accessEndsAt } from "./lifecycle";
import { grantInputSchema, type GrantInput } from "./grant-input";

export type GrantOptions = { actor: Actor; source: EntitlementSource; input: GrantInput };

/**
 * Records that a customer may pull a product until a date, creating the customer and its first
 * user when new, then starts provisioning. A repeated externalRef (per source) returns the
 * entitlement it created the first time and changes nothing. The new customer is emailed once
 * provisioning is done (welcomeCustomer), not here, so its sign-in link never finds a portal still
 * setting up.
 */
export async function grantEntitlement({ actor, source, input }: GrantOptions) {
  const data = grantInputSchema.parse(input);
  const existing = await findByExternalRef(source, data.externalRef);
  if (existing) return unchanged(existing);
  const product = await db.product.findUnique({ where: { slug: data.productSlug }, select: { id: true, name: true, gracePeriodDays: true } });
  if (!product) throw new AppError("INVALID_INPUT", `No product with slug "${data.productSlug}"`);

  let result;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await db.$transaction(async (tx) => {
        const customer = await findOrCreateCustomer(tx, data.customerEmail, data.customerName);
        const entitlement = await tx.entitlement.create({
          data: {
            customerId: customer.customerId,
            productId: product.id,
            kind: data.kind,
            startsAt: data.startsAt ?? new Date(),
            expiresAt: data.expiresAt,
            source,
            externalRef: data.externalRef ?? null,
          },
        });
        await recordAuditEvent(tx, {
          actor,
          action: "entitlement.granted",
          customerId: customer.customerId,
          entitlementId: entitlement.id,
          data: { product: data.productSlug, expiresAt: data.expiresAt.toISOString(), externalRef: data.externalRef ?? null },
        });
        return { entitlement, customer };
      });
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
      // A concurrent request with the same externalRef won the race: answer with its entitlement.
      const winner = await findByExternalRef(source, data.externalRef);
      if (winner) return unchanged(winner);
      // A concurrent first purchase created the same new customer: the retry finds it.
      if (attempt >= 2) throw error;
    }
  }

  const { customerId, startsAt, expiresAt } = result.entitlement;
  await requestCustomerReconcile(customerId);
  if (startsAt > new Date()) await requestCustomerReconcile(customerId, startsAt);
  await requestExpiry(accessEndsAt(expiresAt, product.gracePeriodDays));
  return { entitlement: result.entitlement, created: true as const };
}

const unchanged = (entitlement: Entitlement) => ({ entitlement, created: false as const });

function findByExternalRef(source: EntitlementSource, externalRef: string | undefined) {
  if (!externalRef) return null;
  return db.entitlement.findUnique({ where: { source_externalRef: { source, externalRef } } });
}
