import { z } from "zod";

export const instant = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${field} must be an ISO 8601 date, e.g. 2027-01-31T00:00:00Z`)
    .transform((v) => new Date(v));

export const grantInputSchema = z
  .object({
    customerEmail: z.string({ error: "customerEmail is required" }).trim().toLowerCase().pipe(z.email("customerEmail must be an email address")),
    customerName: z.string().trim().min(1).max(200).optional(),
    productSlug: z.string({ error: "productSlug is required" }).trim().min(1, "productSlug is required").max(100),
    startsAt: instant("startsAt").optional(),
    // Omitted: the product's trial length for a trial, its default term otherwise.
    expiresAt: instant("expiresAt").optional(),
    externalRef: z.string().trim().min(1).max(200).optional(),
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
