import type { Actor } from "@/lib/audit/actor";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import { AppError } from "@/lib/errors";
import { readBoundedText } from "@/lib/http/bounded-body";
import { assertCleanJson, assertIdShaped, textProblem } from "@/lib/validation/strict-input";
import { errorResponse } from "./error-response";
import { idempotent } from "./idempotency";
import { countRequest, type Quota, quotaHeaders } from "./rate-limit";

/** The largest v1 request body: a grant or an action is a few hundred bytes of JSON. */
export const MAX_API_BODY_BYTES = 1_000_000;

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type Handler<P> = (ctx: { req: Request; actor: Actor; params: P }) => Promise<Response>;

/**
 * Wraps a v1 route: API-key authentication, the key's rate limit and scope, a bounded body, idempotency
 * keys for every POST, and one error mapping for every failure. Rate-limit headers go on every
 * answer to a key.
 */
export function apiRoute<P>(handler: Handler<P>) {
  return async (req: Request, context: { params: Promise<P> }) => {
    let quota: Quota | undefined;
    const response = await answered(req, async () => {
      const caller = await authenticateApiKey(req.headers.get("authorization"));
      if (!caller) throw new AppError("UNAUTHENTICATED", "Send a valid API key as 'Authorization: Bearer pgk_...'");
      const { actor } = caller;
      quota = await countRequest(actor.id);
      if (quota.exceeded) {
        throw new AppError("RATE_LIMITED", `This API key may make ${quota.limit} requests a minute; retry in ${quota.resetSeconds} s`);
      }
      // Refused before the body is read or an idempotency key is claimed, so nothing is kept or changed.
      if (caller.scope === "READ" && !READ_METHODS.has(req.method)) {
        throw new AppError("INSUFFICIENT_SCOPE", `This API key is read-only and may not ${req.method}; use a read-write key`);
      }
      checkQuery(req.url);
      // The body is read once, bounded; the idempotency hash and the handler read this copy of it.
      const bounded = req.body ? new Request(req, { body: await readBoundedText(req, MAX_API_BODY_BYTES) }) : req;
      // Errors are answered inside, so the idempotency record keeps a 4xx like any other answer.
      const run = () => answered(req, async () => handler({ req: bounded, actor, params: checkedParams(await context.params) }));
      return req.method === "POST" ? idempotent(bounded, actor.id, run) : run();
    });
    if (quota) for (const [name, value] of Object.entries(quotaHeaders(quota))) response.headers.set(name, value);
    return response;
  };
}

async function answered(req: Request, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    const response = errorResponse(error, { during: "API request", url: req.url });
    if (response.status === 401) response.headers.set("www-authenticate", "Bearer");
    return response;
  }
}

export async function readJson(req: Request): Promise<unknown> {
  if (!(req.headers.get("content-type") ?? "").includes("application/json")) {
    throw new AppError("INVALID_INPUT", "Send a JSON body with 'Content-Type: application/json'");
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not valid JSON");
  }
  assertCleanJson(body);
  return body;
}

/** Path parameters are ids and slugs: one no record could have (`%00`, a NUL, a megabyte) is not found, before any query. */
function checkedParams<P>(params: P): P {
  for (const value of Object.values(params ?? {})) assertIdShaped(value);
  return params;
}

/** Every query value is one line of clean text; each endpoint's schema then reads its own. */
function checkQuery(url: string) {
  for (const [name, value] of new URL(url).searchParams) {
    const problem = textProblem(name, { max: 100, multiline: false }) ?? textProblem(value, { max: 1_000, multiline: false });
    if (problem) throw new AppError("INVALID_INPUT", `The query parameter ${JSON.stringify(name.slice(0, 100))} ${problem}`, [{ path: name.slice(0, 100), message: problem }]);
  }
}

/** A body the endpoint can do without: none at all reads as `{}`. */
export async function readOptionalJson(req: Request): Promise<unknown> {
  if ((await req.clone().text()).trim() === "") return {};
  return readJson(req);
}
