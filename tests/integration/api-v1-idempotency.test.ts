import { NextResponse } from "next/server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deleteExpiredIdempotencyKeys, idempotent } from "@/lib/api/idempotency";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db, disconnectDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { createProduct, inAYear, unique } from "../support/seed";
import { v1Client } from "../support/v1-client";

const ctx = inject("integration");
const actor = systemActor("test");
const keys: { id: string; key: string }[] = [];
const call = v1Client(() => keys[0]!.key);
let productSlug: string;

const purchase = () => ({ customerEmail: `${unique("idem")}@example.com`, productSlug, expiresAt: inAYear() });
const grantWith = (idempotencyKey: string, body: object, auth?: string) =>
  call("/entitlements", { method: "POST", body, auth, headers: { "idempotency-key": idempotencyKey } });

beforeAll(async () => {
  for (const label of ["a", "b"]) keys.push(await createApiKey({ actor, input: { label: unique(`idem-${label}`), scope: "READ_WRITE" } }));
  productSlug = (await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [unique("repo")] })).slug;
});

afterAll(async () => {
  await closeLockPool();
  await disconnectDb();
});

describe("Idempotency-Key", () => {
  it("replays the first answer to a repeat of the same request, acting once", async () => {
    const key = unique("k");
    const body = purchase();
    const first = await grantWith(key, body);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const repeat = await grantWith(key, body);
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get("ratelimit-limit")).not.toBeNull();
    expect(await db.entitlement.count({ where: { customer: { users: { some: { email: body.customerEmail } } } } })).toBe(1);
  });

  it("refuses the same key for a different request with 422", async () => {
    const key = unique("k");
    expect((await grantWith(key, purchase())).status).toBe(201);
    const other = await grantWith(key, purchase());
    expect(other.status).toBe(422);
    expect(other.body.error.message).toMatch(/different request/);
    const elsewhere = await call("/entitlements/{id}/suspend", { method: "POST", params: { id: "nope" }, headers: { "idempotency-key": key } });
    expect(elsewhere.status).toBe(422);
  });

  it("keeps a 4xx answer, so the repeat gets the same refusal", async () => {
    const key = unique("k");
    const bad = { ...purchase(), productSlug: "no-such-product" };
    expect((await grantWith(key, bad)).status).toBe(422);
    const repeat = await grantWith(key, bad);
    expect(repeat.status).toBe(422);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps keys apart per API key", async () => {
    const key = unique("k");
    expect((await grantWith(key, purchase())).status).toBe(201);
    const fromOtherKey = await grantWith(key, purchase(), keys[1]!.key);
    expect(fromOtherKey.status).toBe(201);
    expect(fromOtherKey.headers.get("idempotent-replayed")).toBeNull();
  });

  it("answers 409 while the first request with the key is still running, then replays it", async () => {
    const request = () => new Request("http://localhost/api/v1/x", { method: "POST", headers: { "idempotency-key": "slow" }, body: "{}" });
    let finish!: () => void;
    const running = idempotent(request(), keys[1]!.id, () => new Promise((resolve) => (finish = () => resolve(NextResponse.json({ ok: 1 }, { status: 201 })))));
    await expect.poll(() => db.idempotencyKey.count({ where: { apiKeyId: keys[1]!.id, key: "slow" } })).toBe(1);
    await expect(idempotent(request(), keys[1]!.id, () => Promise.resolve(NextResponse.json({ ok: 2 })))).rejects.toMatchObject({ code: "CONFLICT" });
    finish();
    expect((await running).status).toBe(201);
    const replayed = await idempotent(request(), keys[1]!.id, () => Promise.resolve(NextResponse.json({ ok: 3 })));
    expect(replayed.status).toBe(201);
    expect(await replayed.json()).toEqual({ ok: 1 });
  });

  it("does not keep a server error, so a retry runs again", async () => {
    const request = () => new Request("http://localhost/api/v1/x", { method: "POST", headers: { "idempotency-key": "flaky" }, body: "{}" });
    const failed = await idempotent(request(), keys[1]!.id, () => Promise.resolve(NextResponse.json({ error: 1 }, { status: 503 })));
    expect(failed.status).toBe(503);
    const retried = await idempotent(request(), keys[1]!.id, () => Promise.resolve(NextResponse.json({ ok: true })));
    expect(await retried.json()).toEqual({ ok: true });
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses a malformed key, and forgets keys after 24 hours", async () => {
    for (const bad of ["", "x".repeat(256), "tab\there"]) {
      const res = await grantWith(bad, purchase());
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body.error.message).toMatch(/Idempotency-Key/);
    }
    await expect(idempotent(new Request("http://localhost/x", { method: "POST", headers: { "idempotency-key": "ünï" } }), keys[1]!.id, () => Promise.resolve(new Response()))).rejects.toBeInstanceOf(AppError);
    const key = unique("k");
    expect((await grantWith(key, purchase())).status).toBe(201);
    expect(await deleteExpiredIdempotencyKeys(new Date(Date.now() + 25 * 3_600_000))).toBeGreaterThan(0);
    const reused = await grantWith(key, purchase());
    expect(reused.status).toBe(201);
    expect(reused.headers.get("idempotent-replayed")).toBeNull();
  });
});
