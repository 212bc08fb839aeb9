import { z } from "zod";
import { defineJob } from "../job-definition";

/**
 * A sign-in link someone asked for: the request only queues the address, so it answers alike
 * whether anyone has it; the job looks it up and mails the link. A few quick retries for the mail
 * server, no dead letter: past its quarter hour a link is worth nothing, and the person asks again.
 */
export const signInLinkJob = defineJob({
  name: "sign-in-link",
  description: "Mails a requested sign-in link, if the address belongs to a user.",
  payload: z.object({ email: z.email() }),
  options: () => ({ retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 }),
});
