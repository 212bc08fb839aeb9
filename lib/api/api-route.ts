import { NextResponse } from "next/server";
import type { Actor } from "@/lib/audit/actor";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import { AppError, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";

type Handler<P> = (ctx: { req: Request; actor: Actor; params: P }) => Promise<Response>;

/** Wraps a v1 route: API-key authentication first, then one error mapping for every failure. */
export function apiRoute<P>(handler: Handler<P>) {
  return async (req: Request, context: { params: Promise<P> }) => {
    try {
      const actor = await authenticateApiKey(req.headers.get("authorization"));
      if (!actor) throw new AppError("UNAUTHENTICATED", "Send a valid API key as 'Authorization: Bearer pgk_...'");
      return await handler({ req, actor, params: await context.params });
    } catch (error) {
      const { status, body } = toPublicError(error);
      if (status >= 500) log().error({ err: error, url: req.url }, "API request failed");
      return NextResponse.json(body, { status, headers: status === 401 ? { "www-authenticate": "Bearer" } : undefined });
    }
  };
}

export async function readJson(req: Request): Promise<unknown> {
  if (!(req.headers.get("content-type") ?? "").includes("application/json")) {
    throw new AppError("INVALID_INPUT", "Send a JSON body with 'Content-Type: application/json'");
  }
  try {
    return await req.json();
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not valid JSON");
  }
}
