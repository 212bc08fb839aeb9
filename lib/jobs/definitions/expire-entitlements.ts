import { z } from "zod";
import { defineJob } from "../job-definition";

export const expireEntitlementsJob = defineJob({
  name: "expire-entitlements",
  description: "Ends access at the moment entitlements expire.",
  payload: z.object({}),
  options: () => ({ retryLimit: 5, retryDelay: 5, retryBackoff: true }),
});
