import { NextResponse } from "next/server";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readBoundedText } from "@/lib/http/bounded-body";
import { authenticatePullToken } from "@/lib/pull-tokens/pull-tokens";
import { registryCredentialsFor } from "@/lib/pull-tokens/registry-credentials";
import { readOptionalJson } from "./api-route";
import { errorResponse } from "./error-response";
import { countAgainstQuota, type Quota, quotaHeaders } from "./rate-limit";

/** `{"registry": "<host>"}` at most: a few hundred bytes. */
export const MAX_REGISTRY_REQUEST_BYTES = 4_096;

export const registryCredentialsRequestSchema = z
  .object({
    // A registry host as Docker names it: ECR's are <account>.dkr.ecr.<region>.amazonaws.com.
    registry: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, "Name the registry by its host, e.g. 111122223333.dkr.ecr.us-east-1.amazonaws.com")
      .transform((host) => host.toLowerCase())
      .optional(),
  })
  .strict();

/**
 * `POST /api/v1/registry/credentials`: a pull token in, short-lived registry credentials out, one
 * per registry the token's customer may pull from. Rate-limited per token; never cached by proxies.
 */
export async function answerRegistryCredentials(req: Request): Promise<Response> {
  let quota: Quota | undefined;
  let response: Response;
  try {
    const caller = await authenticatePullToken(req.headers.get("authorization"));
    if (!caller) throw new AppError("UNAUTHENTICATED", "Send a valid pull token as 'Authorization: Bearer pgp_...'; it may have been revoked or have expired");
    quota = await countAgainstQuota(`pull-token:${caller.tokenId}`, { limit: env().PULLGATE_PULL_TOKEN_RATE_LIMIT });
    if (quota.exceeded) throw new AppError("RATE_LIMITED", `This pull token may ask ${quota.limit} times a minute; retry in ${quota.resetSeconds} s`);
    const bounded = req.body ? new Request(req, { body: await readBoundedText(req, MAX_REGISTRY_REQUEST_BYTES) }) : req;
    const { registry } = registryCredentialsRequestSchema.parse(await readOptionalJson(bounded));
    const credentials = await registryCredentialsFor(caller, registry);
    response = NextResponse.json({
      credentials: credentials.map((c) => ({ registry: c.registry, username: c.username, password: c.password, expiresAt: c.expiresAt.toISOString() })),
    });
  } catch (error) {
    response = errorResponse(error, { during: "registry credentials", url: req.url });
    if (response.status === 401) response.headers.set("www-authenticate", "Bearer");
  }
  // Registry passwords: no shared cache may keep them.
  response.headers.set("cache-control", "no-store");
  if (quota) for (const [name, value] of Object.entries(quotaHeaders(quota))) response.headers.set(name, value);
  return response;
}
