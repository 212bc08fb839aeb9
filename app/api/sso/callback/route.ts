import { cookies, headers } from "next/headers";
import { signInContext } from "@/lib/auth/sign-in-context";
import { ssoBindingCookie } from "@/lib/auth/sso/sso-browser-binding";
import { finishSsoSignIn } from "@/lib/auth/sso/finish-sso-sign-in";
import { failureRedirect, redirectWithBinding } from "@/lib/auth/sso/sso-redirects";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Where the provider sends the browser back; the sign-in itself finishes on /login/sso. */
export async function GET(req: Request) {
  const binding = (await cookies()).get(ssoBindingCookie())?.value ?? null;
  try {
    await finishSsoSignIn(new URL(req.url).searchParams, binding, signInContext(await headers()));
    // The binding stays for the sign-in to spend; it lapses with the attempt.
    return redirectWithBinding(new URL("/login/sso", env().NEXTAUTH_URL).toString(), binding);
  } catch (error) {
    return failureRedirect(error);
  }
}
