import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";

/** Where a sign-in attempt comes from, for its rate limits and its audit event. */
export type SignInContext = { ip: string | null; userAgent: string | null };

const MAX_USER_AGENT = 512;

export function signInContext(headers: Headers): SignInContext {
  return {
    ip: clientAddress(headers.get("x-forwarded-for"), env().PULLGATE_TRUSTED_PROXIES),
    userAgent: headers.get("user-agent")?.slice(0, MAX_USER_AGENT) ?? null,
  };
}
