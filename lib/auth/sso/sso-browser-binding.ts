import { env } from "@/lib/env";
import { hashToken, newSecretToken } from "../tokens";

/**
 * The cookie that ties an authorization to the browser that started it: the callback and the
 * sign-in are accepted only from that browser, so a link carrying someone else's code and state
 * signs nobody in (login CSRF). __Host- where the portal is on https.
 */
export const ssoBindingCookie = () => (new URL(env().NEXTAUTH_URL).protocol === "https:" ? "__Host-pullgate-sso" : "pullgate-sso");

export const newBrowserBinding = () => newSecretToken();

export const bindingHash = (binding: string) => hashToken(binding);

/** The binding from a Cookie header, as next-auth hands the sign-in its request headers. */
export function bindingFromCookieHeader(cookieHeader: string | undefined | null): string | null {
  const name = ssoBindingCookie();
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}
