// Bodies are bounded wherever Pullgate reads one: a 2 MB chunked upload (no Content-Length) is
// refused with 413 once its bytes pass the limit, and the rest of it is never pulled.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBulkOperationAction } from "@/app/(admin)/admin/bulk/actions";
import { POST as signIn } from "@/app/api/auth/[...nextauth]/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { MAX_API_BODY_BYTES } from "@/lib/api/api-route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { CSV_TOO_LARGE, MAX_CSV_BYTES } from "@/lib/bulk/bulk-terms";
import { db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { countedBody, countedBytes, streamedRequest } from "../support/counted-body";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";
import { stripeSignature } from "../support/stripe-events";
import { v1Client } from "../support/v1-client";

const TWO_MB = 2_000_000;
const CHUNK = 64 * 1024;
let key: string;
const call = v1Client(() => key);

const stored = async () => ({ stripeEvents: await db.stripeEvent.count(), entitlements: await db.entitlement.count(), idempotencyKeys: await db.idempotencyKey.count() });

/** Refused at the chunk that passed the limit: the rest of the upload was cancelled, not read. */
function expectCancelledPast(limit: number, seen: { pulled: number; cancelled: boolean }) {
  expect(seen.cancelled).toBe(true);
  expect(seen.pulled).toBeGreaterThan(limit);
  expect(seen.pulled).toBeLessThanOrEqual(limit + CHUNK);
}

beforeAll(async () => {
  key = (await createApiKey({ actor: systemActor("test"), input: { label: unique("body-limits"), scope: "READ_WRITE" } })).key;
});

afterAll(closePools);

describe("the Stripe webhook", () => {
  it("answers a 2 MB chunked body with 413 after reading at most 1 MB of it, and stores nothing", async () => {
    const before = await stored();
    const { stream, seen } = countedBytes(TWO_MB);
    const res = await stripeWebhook(streamedRequest("http://localhost/api/webhooks/stripe", stream, { "stripe-signature": stripeSignature("{}") }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "The body is too large for a Stripe event" } });
    expectCancelledPast(1_000_000, seen);
    expect(await stored()).toEqual(before);
  });

  it("answers bytes that are not UTF-8 with 400", async () => {
    const { stream } = countedBody([new Uint8Array([0x7b, 0xff, 0x7d])]);
    const res = await stripeWebhook(streamedRequest("http://localhost/api/webhooks/stripe", stream, { "stripe-signature": stripeSignature("{}") }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("MALFORMED_BODY");
  });
});

describe("the v1 API", () => {
  it("answers a 2 MB chunked body with a documented 413 after reading at most 1 MB of it, and keeps no idempotency record", async () => {
    const before = await stored();
    const { stream, seen } = countedBytes(TWO_MB);
    const res = await call("/entitlements", { method: "POST", rawBody: stream, headers: { "idempotency-key": unique("big") } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(res.headers.get("ratelimit-limit")).not.toBeNull();
    expectCancelledPast(MAX_API_BODY_BYTES, seen);
    expect(await stored()).toEqual(before);
  });

  it("refuses a body longer than its Content-Length claims, and one that declares too much without reading it", async () => {
    const lying = countedBytes(TWO_MB);
    const res = await call("/entitlements/{id}/revoke", { method: "POST", params: { id: "any" }, rawBody: lying.stream, headers: { "content-length": "20" } });
    expect(res.status).toBe(413);
    expectCancelledPast(MAX_API_BODY_BYTES, lying.seen);

    const declared = countedBytes(TWO_MB);
    const early = await call("/entitlements", { method: "POST", rawBody: declared.stream, headers: { "content-length": String(TWO_MB) } });
    expect(early.status).toBe(413);
    expect(declared.seen).toEqual({ pulled: 0, cancelled: true });
  });

  it("answers a body that is not UTF-8 with a documented 400", async () => {
    const { stream } = countedBody([new TextEncoder().encode('{"reason":"'), new Uint8Array([0xc3, 0x28]), new TextEncoder().encode('"}')]);
    const res = await call("/entitlements/{id}/suspend", { method: "POST", params: { id: "any" }, rawBody: stream });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("MALFORMED_BODY");
  });

  it("still reads a body within the limit", async () => {
    const res = await call("/entitlements", { method: "POST", body: { customerEmail: "not-an-email" } });
    expect(res.status).toBe(422);
  });
});

describe("the sign-in routes", () => {
  it("answer a 2 MB chunked form with 413 instead of letting next-auth read it whole", async () => {
    const { stream, seen } = countedBytes(TWO_MB);
    const req = new NextRequest("http://localhost/api/auth/callback/password", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    const res = await signIn(req, { params: Promise.resolve({ nextauth: ["callback", "password"] }) });
    expect(res.status).toBe(413);
    expectCancelledPast(100_000, seen);
  });
});

describe("the bulk form's CSV upload", () => {
  it("is refused past 10 MB with a form error, and nothing is recorded", async () => {
    const admin = await db.user.create({ data: { email: `${unique("bulk-limit")}@example.com`, role: "VENDOR_ADMIN" } });
    signInAs(admin);
    const form = new FormData();
    form.set("kind", "REVOKE");
    form.set("csv", new File([`email\n${"a".repeat(MAX_CSV_BYTES)}`], "customers.csv", { type: "text/csv" }));
    const before = await db.bulkOperation.count();
    expect(await createBulkOperationAction(null, form)).toEqual({ ok: false, error: CSV_TOO_LARGE });
    expect(await db.bulkOperation.count()).toBe(before);
  });
});
