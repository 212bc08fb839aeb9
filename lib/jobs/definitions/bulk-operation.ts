import { z } from "zod";
import { defineJob } from "../job-definition";

/**
 * Each job applies the next chunk of one bulk operation's items, then queues the next. "short": at
 * most one waiting job per operation (its singleton key), so the chunk's own follow-up and the
 * sweep's resumption never start a second chain. No dead letter: the sweep resumes an operation
 * whose job gave up.
 */
export const bulkOperationJob = defineJob({
  name: "bulk-operation",
  description: "Applies a bulk action's items, one chunk at a time, so its progress survives a restart.",
  payload: z.object({ operationId: z.string().min(1) }),
  options: () => ({ policy: "short", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 }),
});
