import { z } from "zod";

/** The optional body of a suspension or revocation: why, for the audit log. */
export const reasonInputSchema = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();
