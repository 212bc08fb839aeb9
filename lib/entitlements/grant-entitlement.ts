import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { findOrCreateCustomer } from "@/lib/customers/find-or-create-customer";
import { lockInTransaction } from "@/lib/locks/advisory-lock";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EntitlementSource } from "@/lib/generated/prisma/enums";
import { requestCustomerReconcile, requestExpiry } from "@/lib/provisioning/request-reconcile";
import { addDays } from "@/lib/time/days";
import { convertTrialInTx } from "./convert-trial";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { grantInputSchema, type GrantInput } from "./grant-input";

/** stripeCustomerId: the paying Stripe customer, which routes the purchase before its email does. */
export type GrantOptions = { actor: Actor; source: EntitlementSource; input: GrantInput; stripeCustomerId?: string };

/**
 * Records that a customer may pull a product until a date, creating the customer and its first
 * user when new, then starts provisioning. A repeated externalRef (per source) for the same
 * customer and product returns the entitlement it created the first time and changes nothing; for
 * another customer or product it is a conflict. The new customer is emailed once
 * provisioning is done (the welcome, a lifecycle notice), not here, so its sign-in link never
 * finds a portal still setting up.
 *
 * Without an expiry, a trial runs for the product's trial length and anything else for its
 * default term. A customer gets a trial only of a product it never had; a standard grant of a
 * product the customer is trialling converts the trial in place (no second IAM grant, no gap).
 */
export async function grantEntitlement({ actor, source, input, stripeCustomerId }: GrantOptions) {
  const data = grantInputSchema.parse(input);
  const product = await db.product.findUnique({
    where: { slug: data.productSlug },
    select: { id: true, name: true, gracePeriodDays: true, trialDays: true, defaultTermDays: true, defaultAccessMode: true },
  });
  if (!product) throw new AppError("INVALID_INPUT", `No product with slug "${data.productSlug}"`);
  const startsAt = data.startsAt ?? new Date();
  const expiresAt = data.expiresAt ?? addDays(startsAt, data.kind === "TRIAL" ? product.trialDays : product.defaultTermDays);

  let result;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await db.$transaction(async (tx) => {
        // A new customer gets an IAM user only when the product starts customers with one.
        const buyer = { email: data.customerEmail, name: data.customerName, stripeCustomerId, keyAccess: product.defaultAccessMode === "IAM_USER_KEY" };
        const customer = await findOrCreateCustomer(tx, actor, buyer);
        const { customerId } = customer;
        // Grants of one product to one customer run one after another, so each sees what the
        // previous one wrote: two trials, or a trial beside a purchase, cannot both be created.
        await lockInTransaction(tx, `grant:${customerId}:${product.id}`);
        const replayed = data.externalRef && (await tx.entitlement.findUnique({ where: { source_externalRef: { source, externalRef: data.externalRef } } }));
        if (replayed) {
          // Thrown, the conflict also rolls back whatever finding the buyer's customer created.
          if (replayed.customerId !== customerId || replayed.productId !== product.id) {
            throw new AppError("CONFLICT", `externalRef "${data.externalRef}" already names a purchase by another customer or of another product; a new purchase needs its own externalRef`);
          }
          return { entitlement: replayed, replayed: true };
        }
        const earlier = customer.created ? [] : await tx.entitlement.findMany({ where: { customerId, productId: product.id } });
        if (data.kind === "TRIAL" && earlier.length > 0) {
          throw new AppError("CONFLICT", `${data.customerEmail} already has or had ${product.name}; a trial is for customers new to it`);
        }
        const trial = earlier.find((e) => e.kind === "TRIAL" && e.status === "ACTIVE");
        if (data.kind === "STANDARD" && trial) {
          const purchase = data.externalRef ? { source, externalRef: data.externalRef } : undefined;
          return { entitlement: await convertTrialInTx(tx, trial, { actor, expiresAt, purchase }), converted: true, replayed: false };
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
        return { entitlement, converted: false, replayed: false };
      });
    } catch (error) {
      // A concurrent request with the same externalRef, or a concurrent first purchase creating the
      // same new customer, won the race: the retry sees what it wrote.
      if (!isUniqueViolation(error) || attempt >= 2) throw error;
    }
  }

  const { entitlement, converted, replayed } = result;
  if (replayed) return { entitlement, created: false };
  // A converted trial keeps the access it has: only its expiry moved.
  if (!converted) {
    await requestCustomerReconcile(entitlement.customerId);
    if (entitlement.startsAt > new Date()) await requestCustomerReconcile(entitlement.customerId, entitlement.startsAt);
  }
  await requestExpiry(accessEndsAt(entitlement.expiresAt, product.gracePeriodDays));
  return { entitlement, created: !converted };
}
