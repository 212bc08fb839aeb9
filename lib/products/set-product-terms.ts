import type { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestExpiry } from "@/lib/provisioning/request-reconcile";
import { productTermsSchema } from "./create-product";

/**
 * Sets how the product's access lasts and ends: the grace period after expiry (it applies to
 * running entitlements at once), the trial length and default term of new grants, and where
 * customers renew (cleared when not given).
 */
export async function setProductTerms({ actor, productId, input }: { actor: Actor; productId: string; input: z.input<typeof productTermsSchema> }) {
  const terms = productTermsSchema.parse(input);
  const data = { ...terms, renewalUrl: terms.renewalUrl ?? null };
  const before = await db.product.findUnique({ where: { id: productId }, select: { gracePeriodDays: true } });
  if (!before) throw new AppError("NOT_FOUND", "Product not found");
  await db.product.update({ where: { id: productId }, data });
  await recordAuditEvent(db, { actor, action: "product.terms_set", data: { productId, ...data } });
  // A shorter grace period can end some access now: the expiry job looks again.
  if (data.gracePeriodDays < before.gracePeriodDays) await requestExpiry(new Date());
  return data;
}
