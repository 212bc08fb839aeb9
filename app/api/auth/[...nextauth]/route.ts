import NextAuth from "next-auth";
import { NextRequest, NextResponse } from "next/server";
import { toPublicError } from "@/lib/api/error-response";
import { AppError } from "@/lib/errors";
import { readBoundedText } from "@/lib/http/bounded-body";
import { authOptions } from "@/lib/auth/options";
import { assertCleanJson, assertIdShaped } from "@/lib/validation/strict-input";

// A sign-in form is a few hundred bytes; next-auth itself would read any body whole.
const MAX_BODY_BYTES = 100_000;

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so configuration is read at run time, not at build time.
const nextAuth = (req: NextRequest, ctx: Context) => NextAuth(req, ctx, authOptions());

/** GETs: the path and query are checked as every entry point checks them before next-auth reads them. */
async function checkedHandler(req: NextRequest, ctx: Context) {
  try {
    checkPathAndQuery(req, await ctx.params);
  } catch (error) {
    return refusal(error);
  }
  return nextAuth(req, ctx);
}

/** POSTs (sign-in, callbacks, sign-out): a bounded body, and every field clean text, before next-auth parses it. */
async function boundedHandler(req: NextRequest, ctx: Context) {
  let body: string;
  try {
    checkPathAndQuery(req, await ctx.params);
    body = await readBoundedText(req, MAX_BODY_BYTES);
    checkBody(body, req.headers.get("content-type") ?? "");
  } catch (error) {
    return refusal(error);
  }
  return nextAuth(new NextRequest(req, { body }), ctx);
}

// next-auth copies query values (error, callbackUrl) into redirect headers, which carry only
// Latin-1: anything but printable ASCII there would fail inside next-auth as a 500.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function checkPathAndQuery(req: NextRequest, { nextauth }: { nextauth: string[] }) {
  for (const segment of nextauth) assertIdShaped(segment, "sign-in route");
  for (const [name, value] of req.nextUrl.searchParams) {
    if (name.length + value.length > 2_000 || !PRINTABLE_ASCII.test(name) || !PRINTABLE_ASCII.test(value)) {
      throw new AppError("INVALID_INPUT", "The query string of a sign-in route must be short, printable ASCII");
    }
  }
}

// next-auth reads JSON or a form; either way each field must be text a person could have typed.
function checkBody(body: string, contentType: string) {
  if (contentType.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = body.trim() === "" ? {} : JSON.parse(body);
    } catch {
      throw new AppError("INVALID_INPUT", "The request body is not valid JSON");
    }
    assertCleanJson(parsed, { max: 10_000 });
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    assertCleanJson(Object.fromEntries(new URLSearchParams(body)), { max: 10_000 });
  }
}

// A malformed sign-in request is final: 400 (not 422), as the Stripe webhook answers.
function refusal(error: unknown) {
  const { status, body } = toPublicError(error, { during: "sign-in" });
  return NextResponse.json(body, { status: status === 422 ? 400 : status });
}

export { checkedHandler as GET, boundedHandler as POST };
