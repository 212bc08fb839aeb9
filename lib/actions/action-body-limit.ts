import { NextResponse } from "next/server";
import { toPublicError } from "@/lib/api/error-response";
import { readBoundedBytes } from "@/lib/http/bounded-body";

/** The largest server-action body: a form's fields; uploads go to routes of their own. */
export const MAX_ACTION_BODY_BYTES = 1_000_000;

/** Routes outside /api that take a body past the action limit, each bounding its own. */
const OWN_LIMIT_ROUTES = new Set(["/admin/bulk/upload"]);

/**
 * A 413 for a server action whose body passes MAX_ACTION_BODY_BYTES, counted as it arrives. Next
 * bounds action bodies too, but answers its own limit with a 500; every POST to a page path is a
 * server action (with JavaScript or without, when the action's id travels in the form).
 */
export async function refuseLargeActionBody(request: Request): Promise<NextResponse | undefined> {
  const { pathname } = new URL(request.url);
  if (request.method !== "POST" || pathname.startsWith("/api/") || OWN_LIMIT_ROUTES.has(pathname)) return undefined;
  try {
    // The proxy reads a copy of the body: the action still gets the whole of it.
    await readBoundedBytes(request, MAX_ACTION_BODY_BYTES, "The form is larger than 1 MB");
    return undefined;
  } catch (error) {
    const { status, body } = toPublicError(error, { during: "server action body", url: request.url });
    return NextResponse.json(body, { status });
  }
}
