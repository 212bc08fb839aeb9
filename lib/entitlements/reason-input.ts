import { z } from "zod";
import { strictMultilineText } from "@/lib/validation/strict-input";

/** The optional body of a suspension or revocation: why, for the audit log. */
export const reasonInputSchema = z.object({ reason: strictMultilineText(500).pipe(z.string().min(1)).optional() }).strict();
