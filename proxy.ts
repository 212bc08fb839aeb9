import type { NextFetchEvent, NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { env } from "@/lib/env";
import { refuseLargeActionBody } from "@/lib/actions/action-body-limit";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/http/content-security-policy";

// Coarse gate only: signed-out visitors are sent to the sign-in page. Roles are checked again
// on the server by every layout, page, action and route.
const gate = withAuth({ pages: { signIn: "/login" } });
const GATED = /^\/(admin|portal)(\/|$)/;

/**
 * Every page gets a fresh nonce: Next reads it from the request's Content-Security-Policy and puts
 * it on its scripts (pages render per request: the root layout reads cookies). HSTS only where the
 * portal's public URL is HTTPS, so a sandbox on http://localhost never pins its host.
 */
export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Before anything else: a refused body is not worth a session look-up.
  const tooLarge = await refuseLargeActionBody(request);
  if (tooLarge) return tooLarge;
  if (GATED.test(request.nextUrl.pathname)) {
    const redirect = await gate(request as NextRequestWithAuth, event);
    if (redirect) return redirect;
  }
  const nonce = newNonce();
  const https = new URL(env().NEXTAUTH_URL).protocol === "https:";
  // NODE_ENV is Next's build-time constant, not configuration.
  const policy = contentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

// Pages only: not the API (JSON and webhooks, no scripts to run), nor static files and icons.
export const config = { matcher: ["/((?!api/|_next/static|_next/image|favicon\\.ico|icon\\.svg).*)"] };
