import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

// Plain http only where nothing crosses a network: tests and the local sandbox's receivers.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const endpointUrl = z
  .string()
  .trim()
  .min(1, "The URL is required")
  .max(2000, "The URL must be at most 2000 characters")
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function urlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "The URL must be a full address like https://hooks.example.com/pullgate";
  const url = new URL(value);
  const loopbackHttp = url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !loopbackHttp) return "The URL must start with https:// (http:// only to 127.0.0.1, localhost or ::1)";
  if (url.username || url.password) return "The URL must not contain a user name or password: requests are signed instead";
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
