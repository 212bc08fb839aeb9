// Bodies are bounded wherever Pullgate reads one: a 2 MB chunked upload (no Content-Length) is
// refused with 413 once its bytes pass the limit, and the rest of it is never pulled.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkUpload } from "@/app/(admin)/admin/bulk/upload/route";
import { POST as signIn } from "@/app/api/auth/[...nextauth]/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { MAX_API_BODY_BYTES } from "@/lib/api/api-route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { CSV_TOO_LARGE, MAX_BULK_FORM_BYTES, MAX_CSV_BYTES } from "@/lib/bulk/bulk-terms";
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

describe("the bulk form's upload route", () => {
  const url = "http://localhost:3000/admin/bulk/upload";
  const sameSite = { origin: "http://localhost:3000", host: "localhost:3000" };
  const boundary = "----pullgate-test-boundary";
  const multipart = { "content-type": `multipart/form-data; boundary=${boundary}` };
  const encoder = new TextEncoder();

  /** A multipart form whose CSV part is `csvBytes` of "a", made as it is pulled. */
  function csvForm(csvBytes: number) {
    const head = encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nREVOKE\r\n--${boundary}\r\nContent-Disposition: form-data; name="csv"; filename="customers.csv"\r\nContent-Type: text/csv\r\n\r\nemail\n`);
    const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
    return countedBody(
      (function* () {
        yield head;
        for (let sent = 0; sent < csvBytes; sent += CHUNK) yield new Uint8Array(Math.min(CHUNK, csvBytes - sent)).fill(0x61);
        yield tail;
      })(),
    );
  }

  let admin: { id: string; sessionEpoch: number };
  beforeAll(async () => {
    admin = await db.user.create({ data: { email: `${unique("bulk-limit")}@example.com`, role: "VENDOR_ADMIN" } });
  });

  it("answers a CSV past 10 MB, chunked, with 413 once its bytes pass the limit, and records nothing", async () => {
    signInAs(admin);
    const before = await db.bulkOperation.count();
    const { stream, seen } = csvForm(MAX_CSV_BYTES + 500_000);
    const res = await bulkUpload(streamedRequest(url, stream, { ...sameSite, ...multipart }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: CSV_TOO_LARGE } });
    expectCancelledPast(MAX_BULK_FORM_BYTES, seen);
    expect(await db.bulkOperation.count()).toBe(before);
  });

  it("starts the bulk action from a CSV within the limit", async () => {
    signInAs(admin);
    const form = new FormData();
    form.set("kind", "REVOKE");
    form.set("csv", new File([`email\n${unique("nobody")}@example.com\n`], "customers.csv", { type: "text/csv" }));
    const res = await bulkUpload(new Request(url, { method: "POST", headers: sameSite, body: form }));
    expect(res.status).toBe(201);
    const { id } = await res.json();
    expect(await db.bulkOperation.findUnique({ where: { id }, select: { kind: true } })).toEqual({ kind: "REVOKE" });
  });

  it("refuses a post from another site's page before reading it", async () => {
    signInAs(admin);
    const { stream, seen } = csvForm(10);
    const res = await bulkUpload(streamedRequest(url, stream, { origin: "https://evil.example", host: "localhost:3000", ...multipart }));
    expect(res.status).toBe(403);
    expect(seen.pulled).toBe(0);
  });
});
