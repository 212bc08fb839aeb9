import { isIP } from "node:net";
import { z } from "zod";
import { env } from "@/lib/env";
import { restrictedRange } from "@/lib/http/public-address";
import { urlHost } from "@/lib/http/outbound-address";
import { strictMultilineText, strictText } from "@/lib/validation/strict-input";

export const MAX_SSO_DOMAINS = 20;

// A DNS name of two labels or more (the part of an email after @), lower-cased.
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** An issuer is an https URL (plain http only for hosts the operator allowed) without query, fragment or credentials. */
function issuerProblem(value: string): string | null {
  if (!URL.canParse(value)) return "The issuer must be a full address like https://login.example.com";
  const url = new URL(value);
  const host = urlHost(url);
  const allowed = env().PULLGATE_SSO_ALLOWED_HOSTS.includes(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowed)) return "The issuer must start with https://";
  if (url.username || url.password || url.search || url.hash) return "The issuer must be a plain address, without a user name, query or fragment";
  if (!allowed && isIP(host) && restrictedRange(host)) return "The issuer must not point to a private, loopback or other internal address";
  return null;
}

const issuer = strictText(500)
  .pipe(z.string().min(1, "The issuer is required"))
  .superRefine((value, ctx) => {
    const problem = issuerProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const domains = strictMultilineText(5000)
  .transform((value) => [...new Set(value.split(/[\s,]+/).map((d) => d.trim().toLowerCase()).filter(Boolean))])
  .superRefine((list, ctx) => {
    const bad = list.find((d) => !DOMAIN.test(d));
    if (bad) ctx.addIssue({ code: "custom", message: `${bad.slice(0, 60)} is not a domain name like example.com` });
    if (list.length === 0) ctx.addIssue({ code: "custom", message: "Name at least one email domain, like example.com" });
    if (list.length > MAX_SSO_DOMAINS) ctx.addIssue({ code: "custom", message: `At most ${MAX_SSO_DOMAINS} domains` });
  });

/** The form's fields. A blank secret keeps the stored one (it is never shown again). */
export const ssoConnectionInputSchema = z.object({
  issuer,
  clientId: strictText(255).pipe(z.string().min(1, "The client ID is required")),
  clientSecret: strictText(1000).default(""),
  domains,
  defaultRole: z.enum(["VENDOR_ADMIN", "VENDOR_VIEWER"], "Choose Admin or Viewer").default("VENDOR_VIEWER"),
  enabled: z.enum(["on", "off"]).default("off").transform((v) => v === "on"),
});

export type SsoConnectionInput = z.input<typeof ssoConnectionInputSchema>;
export type SsoConnectionFields = z.output<typeof ssoConnectionInputSchema>;
