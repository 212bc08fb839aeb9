import { z } from "zod";
import { defineJob, provisioningRetries } from "../job-definition";

export const reconcileCustomerJob = defineJob({
  name: "reconcile-customer",
  description: "Brings one customer's IAM user, access key and pull permissions in line with their entitlements.",
  payload: z.object({ customerId: z.string().min(1) }),
  options: provisioningRetries,
});
