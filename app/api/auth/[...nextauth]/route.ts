import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/error-response";
import { readBoundedText } from "@/lib/http/bounded-body";
import { authOptions } from "@/lib/auth/options";

// A sign-in form is a few hundred bytes; next-auth itself would read any body whole.
const MAX_BODY_BYTES = 100_000;

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so configuration is read at run time, not at build time.
const handler = (req: NextRequest, ctx: Context) => NextAuth(req, ctx, authOptions());

async function boundedHandler(req: NextRequest, ctx: Context) {
  let body: string;
  try {
    body = await readBoundedText(req, MAX_BODY_BYTES);
  } catch (error) {
    return errorResponse(error, { during: "sign-in" });
  }
  return handler(new NextRequest(req, { body }), ctx);
}

export { handler as GET, boundedHandler as POST };
