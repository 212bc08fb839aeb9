import { z } from "zod";
import { defineJob, provisioningRetries } from "../job-definition";

export const reconcileRepositoryJob = defineJob({
  name: "reconcile-repository",
  description: "Writes one repository's policy; changes that arrive close together share a single write.",
  payload: z.object({ repositoryId: z.string().min(1) }),
  options: provisioningRetries,
});
