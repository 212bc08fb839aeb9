import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { findOrCreateCustomer } from "@/lib/customers/find-or-create-customer";
import { lockInTransaction } from "@/lib/locks/advisory-lock";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EntitlementSource } from "@/lib/generated/prisma/enums";
import type { Entitlement } from "@/lib/generated/prisma/client";
import { requestCustomerReconcile, requestExpiry } from "@/lib/provisioning/request-reconcile";
import { addDays } from "@/lib/time/days";
import { convertTrialInTx } from "./convert-trial";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { grantInputSchema, type GrantInput } from "./grant-input";

export type GrantOptions = { actor: Actor; source: EntitlementSource; input: GrantInput };

/**
 * Records that a customer may pull a product until a date, creating the customer and its first
 * user when new, then starts provisioning. A repeated externalRef (per source) returns the
 * entitlement it created the first time and changes nothing. The new customer is emailed once
 * provisioning is done (the welcome, a lifecycle notice), not here, so its sign-in link never
 * finds a portal still setting up.
 *
 * Without an expiry, a trial runs for the product's trial length and anything else for its
 * default term. A customer gets a trial only of a product it never had; a standard grant of a
 * product the customer is trialling converts the trial in place (no second IAM grant, no gap).
 */
export async function grantEntitlement({ actor, source, input }: GrantOptions) {
  const data = grantInputSchema.parse(input);
  const existing = await findByExternalRef(source, data.externalRef);
  if (existing) return unchanged(existing);
  const product = await db.product.findUnique({
    where: { slug: data.productSlug },
    select: { id: true, name: true, gracePeriodDays: true, trialDays: true, defaultTermDays: true },
  });
  if (!product) throw new AppError("INVALID_INPUT", `No product with slug "${data.productSlug}"`);
  const startsAt = data.startsAt ?? new Date();
  const expiresAt = data.expiresAt ?? addDays(startsAt, data.kind === "TRIAL" ? product.trialDays : product.defaultTermDays);

  let result;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await db.$transaction(async (tx) => {
        const customer = await findOrCreateCustomer(tx, data.customerEmail, data.customerName);
        const { customerId } = customer;
        // Grants of one product to one customer run one after another, so each sees what the
        // previous one wrote: two trials, or a trial beside a purchase, cannot both be created.
        await lockInTransaction(tx, `grant:${customerId}:${product.id}`);
        const earlier = customer.created ? [] : await tx.entitlement.findMany({ where: { customerId, productId: product.id } });
        if (data.kind === "TRIAL" && earlier.length > 0) {
          throw new AppError("CONFLICT", `${data.customerEmail} already has or had ${product.name}; a trial is for customers new to it`);
        }
        const trial = earlier.find((e) => e.kind === "TRIAL" && e.status === "ACTIVE");
        if (data.kind === "STANDARD" && trial) {
          const purchase = data.externalRef ? { source, externalRef: data.externalRef } : undefined;
          return { entitlement: await convertTrialInTx(tx, trial, { actor, expiresAt, purchase }), converted: true };
        }
        const entitlement = await tx.entitlement.create({
          data: { customerId, productId: product.id, kind: data.kind, startsAt, expiresAt, source, externalRef: data.externalRef ?? null },
        });
        await recordAuditEvent(tx, {
          actor,
          action: "entitlement.granted",
          customerId,
          entitlementId: entitlement.id,
          data: { product: data.productSlug, kind: data.kind, expiresAt: expiresAt.toISOString(), externalRef: data.externalRef ?? null },
        });
        return { entitlement, converted: false };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent request with the same externalRef won the race: answer with its entitlement.
      const winner = await findByExternalRef(source, data.externalRef);
      if (winner) return unchanged(winner);
      // A concurrent first purchase created the same new customer: the retry finds it.
      if (attempt >= 2) throw error;
    }
  }

  const { entitlement, converted } = result;
  // A converted trial keeps the access it has: only its expiry moved.
  if (!converted) {
    await requestCustomerReconcile(entitlement.customerId);
    if (entitlement.startsAt > new Date()) await requestCustomerReconcile(entitlement.customerId, entitlement.startsAt);
  }
  await requestExpiry(accessEndsAt(entitlement.expiresAt, product.gracePeriodDays));
  return { entitlement, created: !converted };
}

const unchanged = (entitlement: Entitlement) => ({ entitlement, created: false });

function findByExternalRef(source: EntitlementSource, externalRef: string | undefined) {
  if (!externalRef) return null;
  return db.entitlement.findUnique({ where: { source_externalRef: { source, externalRef } } });
}
