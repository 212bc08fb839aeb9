import { z } from "zod";
import { strictMultilineText, strictText } from "@/lib/validation/strict-input";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Only web links: the customer's page links to it, so no javascript: or data: URL may pass.
const renewalUrlSchema = z
  .string()
  .trim()
  .max(500)
  .url("The renewal link must be a full https:// address")
  .refine((v) => v.startsWith("https://"), "The renewal link must be a full https:// address");

// How long access lasts and ends: editable after creation (lib/products/set-product-terms).
export const productTermsSchema = z.object({
  gracePeriodDays: z.coerce.number().int().min(0, "Grace period: 0 to 365 days").max(365, "Grace period: 0 to 365 days").default(0),
  trialDays: z.coerce.number().int().min(1, "Trial length: 1 to 90 days").max(90, "Trial length: 1 to 90 days").default(14),
  defaultTermDays: z.coerce.number().int().min(1, "Default term: 1 to 3660 days").max(3660, "Default term: 1 to 3660 days").default(365),
  renewalUrl: renewalUrlSchema.optional(),
});

export const productInputSchema = productTermsSchema.extend({
  name: strictText(120).pipe(z.string().min(1, "Name is required")),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Slug: lowercase letters, digits and single dashes")
    .max(60),
  description: strictMultilineText(500).optional(),
});

export async function createProduct({ actor, input }: { actor: Actor; input: z.input<typeof productInputSchema> }) {
  const data = productInputSchema.parse(input);
  try {
    const product = await db.product.create({ data });
    await recordAuditEvent(db, { actor, action: "product.created", data: { slug: product.slug } });
    return product;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A product with slug "${data.slug}" already exists`);
    }
    throw error;
  }
}
