import { z } from "zod";

/** What an operation applies to every item, as stored: the form's date to extend, the reason to revoke. */
const operationParamsSchema = z.object({
  expiresAt: z.iso.datetime().optional(),
  reason: z.string().optional(),
});

export type OperationParams = z.infer<typeof operationParamsSchema>;

export const readOperationParams = (json: unknown): OperationParams => operationParamsSchema.parse(json);
