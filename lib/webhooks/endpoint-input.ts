import { isIP } from "node:net";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./event-types";
import { restrictedRange } from "@/lib/http/public-address";
import { isAllowedHost, urlHost } from "./webhook-request";

const endpointUrl = z
  .string()
  .trim()
  .min(1, "The URL is required")
  .max(2000, "The URL must be at most 2000 characters")
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// Only the host's literal address can be judged now: a name is checked each time it is sent to,
// as what it resolves to can change. Hosts the operator allowed (local receivers) take plain http.
function urlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "The URL must be a full address like https://hooks.example.com/pullgate";
  const url = new URL(value);
  const host = urlHost(url);
  const allowed = isAllowedHost(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowed)) return "The URL must start with https://";
  if (url.username || url.password) return "The URL must not contain a user name or password: requests are signed instead";
  if (!allowed && isIP(host) && restrictedRange(host)) return "The URL must not point to a private, loopback or other internal address";
  return null;
}

/** "all" subscribes to every type, including ones added later; "chosen" to the listed ones. */
export const webhookEndpointInputSchema = z
  .object({
    url: endpointUrl,
    scope: z.enum(["all", "chosen"]).default("all"),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES, "Unknown event type")).default([]),
  })
  .refine((input) => input.scope === "all" || input.eventTypes.length > 0, { path: ["eventTypes"], message: "Choose at least one event type" });

/** As it comes from a form: the schema decides what is valid. */
export type WebhookEndpointInput = { url?: string; scope?: string; eventTypes?: string[] };
