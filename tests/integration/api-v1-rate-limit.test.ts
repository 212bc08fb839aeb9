import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRateKey, countRequest } from "@/lib/api/rate-limit";
import { deletePastWindows } from "@/lib/rate-limit/fixed-window";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db, disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { unique } from "../support/seed";
import { v1Client } from "../support/v1-client";

// The configured limit, low enough to reach; read when the first request is counted.
const LIMIT = 5;
process.env.PULLGATE_API_RATE_LIMIT = String(LIMIT);

const actor = systemActor("test");
let key: { id: string; key: string };
const call = v1Client(() => key.key);

beforeAll(async () => {
  key = await createApiKey({ actor, input: { label: unique("rate"), scope: "READ_WRITE" } });
});

afterAll(async () => {
  delete process.env.PULLGATE_API_RATE_LIMIT;
  await closeLockPool();
  await disconnectDb();
});

describe("rate limit", () => {
  it("counts requests per key and window, and starts over in the next window", async () => {
    const apiKeyId = (await createApiKey({ actor, input: { label: unique("rate-unit") } })).id;
    const at = new Date("2030-01-01T00:00:10Z");
    const counted = [];
    for (let i = 0; i < 4; i++) counted.push(await countRequest(apiKeyId, { limit: 3, windowSeconds: 60, now: at }));
    expect(counted.map((q) => [q.remaining, q.exceeded])).toEqual([[2, false], [1, false], [0, false], [0, true]]);
    expect(counted[3]!.resetSeconds).toBe(50);
    expect(await countRequest(apiKeyId, { limit: 3, windowSeconds: 60, now: new Date("2030-01-01T00:01:00Z") })).toMatchObject({ remaining: 2, exceeded: false });
    expect(await deletePastWindows(new Date("2030-01-01T02:00:00Z"))).toBeGreaterThanOrEqual(2);
    expect(await db.rateWindow.count({ where: { key: apiRateKey(apiKeyId) } })).toBe(0);
  });

  it("answers 429 with Retry-After past the configured limit, other keys unaffected", async () => {
    // Start early in a window, so the requests below cannot straddle two.
    const reset = Number((await call("/products")).headers.get("ratelimit-reset"));
    if (reset < 10) await new Promise((resolve) => setTimeout(resolve, reset * 1000 + 100));
    await db.rateWindow.deleteMany({ where: { key: apiRateKey(key.id) } });

    for (let i = 1; i <= LIMIT; i++) {
      const res = await call("/products");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe(String(LIMIT));
      expect(res.headers.get("ratelimit-remaining")).toBe(String(LIMIT - i));
    }
    const limited = await call("/entitlements", { method: "POST", body: {} });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");

    const other = await createApiKey({ actor, input: { label: unique("rate-other") } });
    expect((await call("/products", { auth: other.key })).status).toBe(200);
  });
});
