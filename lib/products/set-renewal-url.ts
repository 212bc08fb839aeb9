import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { renewalUrlSchema } from "./create-product";

/** Sets (or, given nothing, clears) where the product's customers renew. */
export async function setRenewalUrl({ actor, productId, renewalUrl }: { actor: Actor; productId: string; renewalUrl: string | undefined }) {
  const url = renewalUrl === undefined ? null : renewalUrlSchema.parse(renewalUrl);
  const updated = await db.product.updateMany({ where: { id: productId }, data: { renewalUrl: url } });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "Product not found");
  await recordAuditEvent(db, { actor, action: "product.renewal_url_set", data: { productId, renewalUrl: url } });
  return url;
}
