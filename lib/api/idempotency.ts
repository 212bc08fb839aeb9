import { createHash } from "node:crypto";
import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const IDEMPOTENCY_KEY_HOURS = 24;
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
// A claim still unanswered after this long belongs to a request whose process died: a retry
// may take it over instead of being told "in flight" until the key expires.
const ABANDONED_AFTER_MS = 5 * 60_000;

/**
 * Runs a POST at most once per `Idempotency-Key` and API key: a repeat of the same request
 * (method, path and body) gets the first answer again, marked `Idempotent-Replayed: true`.
 * Server errors are not kept, so a retry after one runs the request anew.
 */
export async function idempotent(req: Request, apiKeyId: string, run: () => Promise<Response>): Promise<Response> {
  const key = req.headers.get("idempotency-key");
  if (key === null) return run();
  if (!KEY_PATTERN.test(key)) throw new AppError("INVALID_INPUT", "Idempotency-Key must be 1 to 255 printable ASCII characters");

  const url = new URL(req.url);
  const requestHash = createHash("sha256").update(`${req.method} ${url.pathname}${url.search}\n${await req.clone().text()}`).digest("hex");
  if (!(await claim(apiKeyId, key, requestHash))) return replay(apiKeyId, key, requestHash);

  let response: Response | undefined;
  try {
    response = await run();
  } finally {
    if (!response || response.status >= 500) await db.idempotencyKey.deleteMany({ where: { apiKeyId, key, responseStatus: null } });
  }
  if (response.status < 500) {
    await db.idempotencyKey.update({
      where: { apiKeyId_key: { apiKeyId, key } },
      data: { responseStatus: response.status, responseBody: await response.clone().text() },
    });
  }
  return response;
}

/** Takes the key for this request: new, expired, or abandoned mid-request. False when another request holds it. */
async function claim(apiKeyId: string, key: string, requestHash: string) {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_KEY_HOURS * 3_600_000);
  const claimed = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "IdempotencyKey" ("apiKeyId", key, "requestHash", "claimedAt", "expiresAt")
    VALUES (${apiKeyId}, ${key}, ${requestHash}, ${now}, ${expiresAt})
    ON CONFLICT ("apiKeyId", key) DO UPDATE SET "requestHash" = EXCLUDED."requestHash", "claimedAt" = EXCLUDED."claimedAt",
      "expiresAt" = EXCLUDED."expiresAt", "responseStatus" = NULL, "responseBody" = NULL
    WHERE "IdempotencyKey"."expiresAt" <= ${now}
      OR ("IdempotencyKey"."responseStatus" IS NULL AND "IdempotencyKey"."claimedAt" <= ${new Date(now.getTime() - ABANDONED_AFTER_MS)})
    RETURNING key`;
  return claimed.length === 1;
}

async function replay(apiKeyId: string, key: string, requestHash: string): Promise<Response> {
  const stored = await db.idempotencyKey.findUnique({ where: { apiKeyId_key: { apiKeyId, key } } });
  if (stored && stored.requestHash !== requestHash) {
    throw new AppError("INVALID_INPUT", "This Idempotency-Key was already used for a different request; use a new key for a new request");
  }
  if (stored?.responseStatus == null || stored.responseBody === null) {
    throw new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress; retry after it has finished");
  }
  return new NextResponse(stored.responseBody, {
    status: stored.responseStatus,
    headers: { "content-type": "application/json", "Idempotent-Replayed": "true" },
  });
}

/** Forgets keys past their 24 hours (the minute sweep calls this). */
export async function deleteExpiredIdempotencyKeys(now = new Date()) {
  const { count } = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
