import { z } from "zod";
import { strictEmail, strictInstant, strictText } from "@/lib/validation/strict-input";

/** An instant field: ISO 8601 only, a real calendar day, a sane year (lib/validation). */
export const instant = strictInstant;

export const grantInputSchema = z
  .object({
    customerEmail: z.string({ error: "customerEmail is required" }).pipe(strictEmail("customerEmail must be an email address")),
    customerName: strictText(200).pipe(z.string().min(1)).optional(),
    productSlug: z.string({ error: "productSlug is required" }).pipe(strictText(100)).pipe(z.string().min(1, "productSlug is required")),
    startsAt: instant("startsAt").optional(),
    // Omitted: the product's trial length for a trial, its default term otherwise.
    expiresAt: instant("expiresAt").optional(),
    externalRef: strictText(200).pipe(z.string().min(1)).optional(),
    kind: z.enum(["STANDARD", "TRIAL"]).default("STANDARD"),
  })
  .strict()
  // Zod 4 runs these even when a field above failed, so each checks its inputs parsed.
  .refine((v) => !(v.expiresAt instanceof Date) || v.expiresAt.getTime() > Date.now(), {
    path: ["expiresAt"],
    message: "expiresAt must be in the future",
  })
  .refine((v) => !(v.startsAt instanceof Date) || !(v.expiresAt instanceof Date) || v.startsAt < v.expiresAt, {
    path: ["startsAt"],
    message: "startsAt must be before expiresAt",
  });

export type GrantInput = z.input<typeof grantInputSchema>;
