import { headers } from "next/headers";
import { errorResponse } from "@/lib/api/error-response";
import { signInContext } from "@/lib/auth/sign-in-context";
import { startSsoSignIn } from "@/lib/auth/sso/start-sso-sign-in";
import { bindingCookie, failureCode } from "@/lib/auth/sso/sso-redirects";
import type { AppError } from "@/lib/errors";
import { readBoundedForm } from "@/lib/http/bounded-form";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { text } from "@/app/form-values";

export const dynamic = "force-dynamic";

const MAX_FORM_BYTES = 4096;

/**
 * The sign-in page's SSO form: the address of the provider of the email's domain (or of the vendor
 * team), with the browser binding set as a cookie. JSON rather than a redirect: the page's CSP
 * (form-action 'self') would stop a form's redirect to another site, so the page navigates itself.
 */
export async function POST(req: Request) {
  try {
    assertSameOrigin(req);
  } catch (error) {
    return errorResponse(error, { during: "sso start", url: req.url });
  }
  try {
    const form = await readBoundedForm(req, MAX_FORM_BYTES);
    const start = text(form, "team") === "vendor" ? { team: "vendor" as const } : { email: text(form, "email") ?? "" };
    const { url, binding } = await startSsoSignIn(start, signInContext(await headers()));
    return Response.json({ url }, { headers: { "set-cookie": bindingCookie(binding) } });
  } catch (error) {
    // failureCode rethrows anything but an SsoFailure or a form that could not be read (AppErrors both).
    return Response.json({ sso: failureCode(error) }, { status: (error as AppError).status });
  }
}
