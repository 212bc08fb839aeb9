import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { SsoFailureCode } from "./sso-failure-messages";
import { SsoFailure } from "./sso-failures";
import { ssoBindingCookie } from "./sso-browser-binding";
import { ATTEMPT_MS } from "./start-sso-sign-in";

/** The failure's code for the sign-in page; anything but a failure of the form or the sign-in is not ours to explain. */
export function failureCode(error: unknown): SsoFailureCode {
  if (error instanceof SsoFailure) return error.failure;
  if (error instanceof AppError && (error.code === "INVALID_INPUT" || error.code === "PAYLOAD_TOO_LARGE")) return "invalid-email";
  throw error;
}

/** The sign-in page telling what went wrong, by code only. */
export const failureRedirect = (error: unknown) => redirectWithBinding(new URL(`/login?sso=${failureCode(error)}`, env().NEXTAUTH_URL).toString(), null);

/** The Set-Cookie value that keeps (or, with null, clears) the browser binding. */
export function bindingCookie(binding: string | null) {
  const https = new URL(env().NEXTAUTH_URL).protocol === "https:";
  // Lax: the provider's redirect back is a top-level navigation from its site, which Lax lets through.
  return [
    `${ssoBindingCookie()}=${binding ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${binding ? ATTEMPT_MS / 1000 : 0}`,
    ...(https ? ["Secure"] : []),
  ].join("; ");
}

/** A 303 that also sets (or, with null, clears) the browser binding cookie. */
export function redirectWithBinding(location: string, binding: string | null): Response {
  return new Response(null, { status: 303, headers: { location, "set-cookie": bindingCookie(binding) } });
}
