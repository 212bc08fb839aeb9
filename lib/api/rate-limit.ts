import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type Quota = { limit: number; remaining: number; resetSeconds: number; exceeded: boolean };

const WINDOW_SECONDS = 60;

/**
 * Counts one request of an API key in the current fixed window. The counter is one row per key
 * and window, bumped by a single atomic upsert, so every app instance (and the embedded
 * database's single session) shares it without locks.
 */
export async function countRequest(
  apiKeyId: string,
  { limit = env().PULLGATE_API_RATE_LIMIT, windowSeconds = WINDOW_SECONDS, now = new Date() } = {},
): Promise<Quota> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db.$queryRaw<{ requests: number }[]>`
    INSERT INTO "ApiRateWindow" ("apiKeyId", "windowStart", requests) VALUES (${apiKeyId}, ${windowStart}, 1)
    ON CONFLICT ("apiKeyId", "windowStart") DO UPDATE SET requests = "ApiRateWindow".requests + 1
    RETURNING requests`;
  const requests = row?.requests ?? 1;
  return {
    limit,
    remaining: Math.max(0, limit - requests),
    resetSeconds: Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000),
    exceeded: requests > limit,
  };
}

export function quotaHeaders(quota: Quota): Record<string, string> {
  return {
    "RateLimit-Limit": String(quota.limit),
    "RateLimit-Remaining": String(quota.remaining),
    "RateLimit-Reset": String(quota.resetSeconds),
    ...(quota.exceeded ? { "Retry-After": String(quota.resetSeconds) } : {}),
  };
}

/** Drops counters of windows long past (the minute sweep calls this). */
export async function deletePastRateWindows(now = new Date()) {
  const { count } = await db.apiRateWindow.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 3_600_000) } } });
  return count;
}
