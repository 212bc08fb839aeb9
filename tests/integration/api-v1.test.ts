import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db, disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { inAYear, unique } from "../support/seed";
import { v1Client } from "../support/v1-client";

const ctx = inject("integration");
const actor = systemActor("test");
let key: string;
let productSlug: string;
let repository: { accountId: string; region: string; name: string };
const call = v1Client(() => key);

const counts = async () => ({ customers: await db.customer.count(), entitlements: await db.entitlement.count() });
const grant = async (extra: object = {}) => {
  const res = await call("/entitlements", {
    method: "POST",
    body: { customerEmail: `${unique("api")}@example.com`, productSlug, expiresAt: inAYear(), ...extra },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; customer: { id: string }; expiresAt: string };
};
const act = (id: string, action: string, body?: unknown) => call(`/entitlements/{id}/${action}`, { method: "POST", params: { id }, body });

beforeAll(async () => {
  key = (await createApiKey({ actor, input: { label: unique("api"), scope: "READ_WRITE" } })).key;
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
    const first = await call("/entitlements", { method: "POST", body });
    expect(first.status).toBe(201);
    const created = first.body;
    expect(created).toMatchObject({ status: "ACTIVE", product: productSlug, externalRef: body.externalRef });

    const repeat = await call("/entitlements", { method: "POST", body });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(created.id);
    expect(await db.entitlement.count({ where: { externalRef: body.externalRef } })).toBe(1);

    // The same reference for another customer, or another product, is not that purchase.
    // On a repository that exists: later files audit every repository in the database.
    const otherAdmin = awsAdmin(ctx);
    const { product: other } = await otherAdmin.productOnNewRepository();
    otherAdmin.destroy();
    const before = await counts();
    for (const reused of [{ ...body, customerEmail: `${unique("api")}@example.com` }, { ...body, productSlug: other.slug }]) {
      const conflict = await call("/entitlements", { method: "POST", body: reused });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(body.externalRef) });
    }
    expect(await counts()).toEqual(before);

    await convergeCustomer(created.customer.id, actor);
    const shown = (await call("/entitlements/{id}", { params: { id: created.id } })).body;
    expect(shown.iamUserArn).toMatch(new RegExp(`^arn:aws:iam::${ctx.accountId}:user/pullgate/`));
    expect(shown.state).toBe("active");
    expect(await probe.principals(repository)).toContain(shown.iamUserArn);

    const revoked = await act(created.id, "revoke");
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("REVOKED");
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
      const res = await call("/entitlements", typeof body === "string" ? { method: "POST", rawBody: body } : { method: "POST", body });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe("INVALID_INPUT");
      expect(res.body.error.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("suspends and resumes, each repeat changing nothing", async () => {
    const { id } = await grant();
    const suspended = await act(id, "suspend", { reason: "unpaid invoice" });
    expect(suspended.body.status).toBe("SUSPENDED");
    const events = () => db.auditEvent.count({ where: { entitlementId: id } });
    const afterSuspend = await events();
    expect(await db.auditEvent.findFirst({ where: { entitlementId: id, action: "entitlement.suspended" } })).toMatchObject({
      data: { reason: "unpaid invoice" },
    });

    const again = await act(id, "suspend");
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("SUSPENDED");
    expect(await events()).toBe(afterSuspend);

    expect((await act(id, "resume")).body.status).toBe("ACTIVE");
    const afterResume = await events();
    expect((await act(id, "resume", {})).body.status).toBe("ACTIVE");
    expect(await events()).toBe(afterResume);
    expect((await act(id, "resume", { reason: "x" })).status).toBe(422);
  });

  it("extends an entitlement, refuses an earlier date, and does not touch a revoked one", async () => {
    const { id, expiresAt } = await grant();
    const later = new Date(new Date(expiresAt).getTime() + 30 * 86_400_000).toISOString();
    const extended = await act(id, "extend", { expiresAt: later });
    expect(extended.status).toBe(200);
    expect(extended.body.expiresAt).toBe(later);
    expect((await act(id, "extend", { expiresAt: later })).body.expiresAt).toBe(later);

    const earlier = await act(id, "extend", { expiresAt: expiresAt });
    expect(earlier.status).toBe(422);
    expect(earlier.body.error.message).toMatch(/later than the current one/);
    expect((await act(id, "extend")).status).toBe(422);

    expect((await act(id, "revoke", { reason: "refund" })).body.status).toBe("REVOKED");
    expect((await act(id, "revoke")).body.status).toBe("REVOKED");
    expect((await act(id, "extend", { expiresAt: new Date(Date.parse(later) + 86_400_000).toISOString() })).status).toBe(409);
    expect((await act(id, "suspend")).body.status).toBe("REVOKED");
  });

  it("grants a trial for the product's trial length and converts it to a paid term", async () => {
    const trial = await grant({ kind: "TRIAL", expiresAt: undefined });
    expect(trial).toMatchObject({ kind: "TRIAL" });
    expect(Math.round((Date.parse(trial.expiresAt) - Date.now()) / 86_400_000)).toBe(14);
    const paidUntil = inAYear();
    const converted = await act(trial.id, "convert", { expiresAt: paidUntil });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({ kind: "STANDARD", expiresAt: paidUntil });
    const again = await act(trial.id, "convert");
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/not a trial/);
  });

  it("answers 404 for what does not exist", async () => {
    for (const action of ["extend", "suspend", "resume", "revoke"]) {
      const res = await act("nope", action, action === "extend" ? { expiresAt: inAYear() } : undefined);
      expect(res.status, action).toBe(404);
    }
    expect((await call("/entitlements/{id}", { params: { id: "nope" } })).status).toBe(404);
    expect((await call("/customers/{id}", { params: { id: "nope" } })).status).toBe(404);
    expect((await call("/products/{slug}", { params: { slug: "nope" } })).status).toBe(404);
  });

  it("requires a key on every documented route but the OpenAPI document itself", async () => {
    for (const [template, operations] of Object.entries(openApiDocument.paths)) {
      for (const method of Object.keys(operations)) {
        const res = await call(template, { method: method.toUpperCase() as "GET" | "POST", params: { id: "x", slug: "x" }, auth: null });
        expect(res.status, `${method} ${template}`).toBe(template === "/openapi.json" ? 200 : 401);
      }
    }
  });

  it("requires a valid, unrevoked API key", async () => {
    expect((await call("/products", { auth: null })).status).toBe(401);
    expect((await call("/products", { auth: "pgk_wrong" })).status).toBe(401);
    const spare = await createApiKey({ actor, input: { label: unique("spare") } });
    expect((await call("/products", { auth: spare.key })).status).toBe(200);
    await revokeApiKey({ actor, id: spare.id });
    expect((await call("/products", { auth: spare.key })).status).toBe(401);
  });

  it("shows a product with its terms and repositories", async () => {
    const res = await call("/products/{slug}", { params: { slug: productSlug } });
    expect(res.body).toMatchObject({ slug: productSlug, trialDays: 14, defaultTermDays: 365, gracePeriodDays: 0, renewalUrl: null });
    expect(res.body.repositories[0].uri).toBe(`${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${repository.name}`);
  });

  // /api/health (liveness, and details for an admin or the token) is tested in health.test.ts.
});
