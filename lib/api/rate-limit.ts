import { env } from "@/lib/env";
import { countInWindow, windowStartOf } from "@/lib/rate-limit/fixed-window";

export type Quota = { limit: number; remaining: number; resetSeconds: number; exceeded: boolean };

const WINDOW_SECONDS = 60;

/** Counts one request of an API key in the current fixed window (lib/rate-limit/fixed-window.ts). */
export function countRequest(apiKeyId: string, { limit = env().PULLGATE_API_RATE_LIMIT, windowSeconds = WINDOW_SECONDS, now = new Date() } = {}): Promise<Quota> {
  return countAgainstQuota(apiRateKey(apiKeyId), { limit, windowSeconds, now });
}

/** Counts one request under `counterKey` against `limit` a window. */
export async function countAgainstQuota(counterKey: string, { limit, windowSeconds = WINDOW_SECONDS, now = new Date() }: { limit: number; windowSeconds?: number; now?: Date }): Promise<Quota> {
  const windowMs = windowSeconds * 1000;
  const requests = (await countInWindow([counterKey], windowMs, now)).get(counterKey) ?? 1;
  return {
    limit,
    remaining: Math.max(0, limit - requests),
    resetSeconds: Math.ceil((windowStartOf(now, windowMs).getTime() + windowMs - now.getTime()) / 1000),
    exceeded: requests > limit,
  };
}

/** The counter key of an API key's requests. */
export const apiRateKey = (apiKeyId: string) => `api:${apiKeyId}`;

export function quotaHeaders(quota: Quota): Record<string, string> {
  return {
    "RateLimit-Limit": String(quota.limit),
    "RateLimit-Remaining": String(quota.remaining),
    "RateLimit-Reset": String(quota.resetSeconds),
    ...(quota.exceeded ? { "Retry-After": String(quota.resetSeconds) } : {}),
  };
}
