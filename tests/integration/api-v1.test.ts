import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as getEntitlement } from "@/app/api/v1/entitlements/[id]/route";
import { POST as revoke } from "@/app/api/v1/entitlements/[id]/revoke/route";
import { POST as createEntitlement } from "@/app/api/v1/entitlements/route";
import { GET as listProducts } from "@/app/api/v1/products/route";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db, disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/provisioning/advisory-lock";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
let key: string;
let productSlug: string;
let repository: { accountId: string; region: string; name: string };

const call = (
  handler: (req: Request, c: { params: Promise<never> }) => Promise<Response>,
  init: { method?: string; body?: unknown; params?: object; auth?: string | null; rawBody?: string },
) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.auth !== null) headers.authorization = `Bearer ${init.auth ?? key}`;
  const req = new Request("http://localhost/api", {
    method: init.method ?? "POST",
    headers,
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  return handler(req, { params: Promise.resolve(init.params ?? {}) as Promise<never> });
};

const counts = async () => ({ customers: await db.customer.count(), entitlements: await db.entitlement.count() });

beforeAll(async () => {
  key = (await createApiKey({ actor, input: { label: unique("api") } })).key;
  const admin = awsAdmin(ctx);
  const { product } = await admin.productOnNewRepository();
  admin.destroy();
  productSlug = product.slug;
  repository = product.repositories[0]!;
});

afterAll(async () => {
  await closeLockPool();
  await disconnectDb();
});

describe("v1 API", () => {
  it("creates an entitlement once per externalRef, reports it, and revokes it", async () => {
    const body = { customerEmail: `${unique("api")}@example.com`, productSlug, expiresAt: inAYear(), externalRef: unique("order") };
    const first = await call(createEntitlement, { body });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toMatchObject({ status: "ACTIVE", product: productSlug, externalRef: body.externalRef });

    const repeat = await call(createEntitlement, { body });
    expect(repeat.status).toBe(200);
    expect((await repeat.json()).id).toBe(created.id);
    expect(await db.entitlement.count({ where: { externalRef: body.externalRef } })).toBe(1);

    await convergeCustomer(created.customer.id, actor);
    const shown = await (await call(getEntitlement, { method: "GET", params: { id: created.id } })).json();
    expect(shown.iamUserArn).toMatch(new RegExp(`^arn:aws:iam::${ctx.accountId}:user/pullgate/`));
    expect(shown.state).toBe("active");
    expect(await probe.principals(repository)).toContain(shown.iamUserArn);

    const revoked = await call(revoke, { params: { id: created.id } });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).status).toBe("REVOKED");
    await convergeCustomer(created.customer.id, actor);
    expect(await probe.principals(repository)).not.toContain(shown.iamUserArn);
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const before = await counts();
    const cases: [object | string, number, RegExp][] = [
      [{ customerEmail: "not-an-email", productSlug, expiresAt: inAYear() }, 422, /customerEmail/],
      [{ customerEmail: "a@example.com", productSlug, expiresAt: "2001-01-01T00:00:00Z" }, 422, /future/],
      [{ customerEmail: "a@example.com", productSlug, expiresAt: "tomorrow-ish" }, 422, /ISO 8601/],
      [{ customerEmail: "a@example.com", productSlug: "no-such-product", expiresAt: inAYear() }, 422, /no-such-product/],
      [{ customerEmail: "a@example.com", productSlug, expiresAt: inAYear(), admin: true }, 422, /admin/],
      ["{ not json", 422, /not valid JSON/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(createEntitlement, typeof body === "string" ? { rawBody: body } : { body });
      expect(res.status).toBe(status);
      const json = await res.json();
      expect(json.error.code).toBe("INVALID_INPUT");
      expect(json.error.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("requires a valid, unrevoked API key", async () => {
    expect((await call(listProducts, { method: "GET", auth: null })).status).toBe(401);
    expect((await call(listProducts, { method: "GET", auth: "pgk_wrong" })).status).toBe(401);
    const spare = await createApiKey({ actor, input: { label: unique("spare") } });
    expect((await call(listProducts, { method: "GET", auth: spare.key })).status).toBe(200);
    await revokeApiKey({ actor, id: spare.id });
    expect((await call(listProducts, { method: "GET", auth: spare.key })).status).toBe(401);
    const missing = await call(getEntitlement, { method: "GET", params: { id: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("lists products with their repositories", async () => {
    const res = await call(listProducts, { method: "GET" });
    const { data } = await res.json();
    expect(data.find((p: { slug: string }) => p.slug === productSlug).repositories[0].uri).toBe(
      `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${repository.name}`,
    );
  });

  it("reports database and AWS reachability", async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true }, aws: { ok: true } });
  });
});
