// The hand sweep of issue 18 (point 9): each of these answered 500 or stored something else than
// was sent. Bad input is a clear 4xx and changes nothing: NUL bytes, unpaired surrogates, a 1 MB
// email, years 0 and 275760, `%00` in ids, invalid JSON to the sign-in callback, `2027-02-31`.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { grantEntitlementAction } from "@/app/(admin)/admin/entitlements/actions";
import { requestSignInLink } from "@/app/(auth)/login/actions";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { callAuthRoute, csrf } from "../support/auth-route";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";
import { v1Client } from "../support/v1-client";

vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "MalformedInputTest/1.0" }),
}));

const { product } = productOnNewRepositoryFixture();
let key: string;
let entitlementId: string;
const call = v1Client(() => key);

const state = async () => ({
  customers: await db.customer.count(),
  users: await db.user.count(),
  entitlements: await db.entitlement.findMany({ select: { id: true, expiresAt: true, startsAt: true, status: true }, orderBy: { id: "asc" } }),
});

beforeAll(async () => {
  key = (await createApiKey({ actor: systemActor("test"), input: { label: unique("malformed"), scope: "READ_WRITE" } })).key;
  const granted = await call("/entitlements", { method: "POST", body: { customerEmail: `${unique("malformed")}@example.com`, productSlug: product.slug, expiresAt: inAYear() } });
  expect(granted.status).toBe(201);
  entitlementId = granted.body.id;
});

const grantWith = (extra: object) =>
  call("/entitlements", { method: "POST", body: { customerEmail: `${unique("sweep")}@example.com`, productSlug: product.slug, expiresAt: inAYear(), ...extra } });

describe("the v1 API refuses the hand sweep's input with a 4xx and changes nothing", () => {
  const cases: [string, () => Promise<{ status: number; body: { error?: { code: string; message: string } } }>][] = [
    ["a NUL byte in a name", () => grantWith({ customerName: "Ann\u0000Example" })],
    ["a NUL byte in an external reference", () => grantWith({ externalRef: "order\u0000-1" })],
    ["an unpaired surrogate in a name", () => grantWith({ customerName: "Ann \ud800 Example" })],
    ["an unpaired surrogate in a reason", () => call("/entitlements/{id}/suspend", { method: "POST", params: { id: entitlementId }, body: { reason: "why \udc00" } })],
    ["a NUL byte in an email", () => grantWith({ customerEmail: "ann\u0000@example.com" })],
    ["a 900 kB email", () => grantWith({ customerEmail: `${"a".repeat(900_000)}@example.com` })],
    ["the year 0", () => grantWith({ startsAt: "0000-01-01T00:00:00Z" })],
    ["the year 275760", () => grantWith({ expiresAt: "+275760-09-13T00:00:00.000Z" })],
    ["the year 275760 in an extension", () => call("/entitlements/{id}/extend", { method: "POST", params: { id: entitlementId }, body: { expiresAt: "+275760-09-13T00:00:00.000Z" } })],
    ["February 31st in a grant", () => grantWith({ expiresAt: "2030-02-31T00:00:00Z" })],
    ["February 31st", () => call("/entitlements/{id}/extend", { method: "POST", params: { id: entitlementId }, body: { expiresAt: "2027-02-31T00:00:00Z" } })],
    ["a date that is not ISO 8601", () => grantWith({ expiresAt: "March 3, 2030" })],
    ["%00 in an entitlement id", () => call("/entitlements/{id}", { params: { id: "\u0000" } })],
    ["%00 in a customer id", () => call("/customers/{id}", { params: { id: "abc\u0000" } })],
    ["%00 in an action's id", () => call("/entitlements/{id}/revoke", { method: "POST", params: { id: "\u0000" } })],
    ["a NUL byte in a list filter", () => call("/entitlements", { query: { customerId: "\u0000" } })],
    ["a NUL byte in a product slug", () => call("/products/{slug}", { params: { slug: "p\u0000" } })],
  ];

  for (const [name, send] of cases) {
    it(name, async () => {
      const before = await state();
      const res = await send();
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expect(res.body.error?.message).not.toMatch(/prisma|invalid byte sequence|postgres|out of range/i);
      expect(await state()).toEqual(before);
    });
  }
});

describe("the sign-in routes refuse malformed input with a 4xx", () => {
  it("answers invalid JSON to the callback with a 400", async () => {
    const res = await callAuthRoute(["callback", "password"], { body: "{not json", contentType: "application/json" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("INVALID_INPUT");
  });

  it("answers a NUL byte or an unpaired surrogate in the credentials with a 400", async () => {
    const { token, cookie } = await csrf();
    for (const email of ["a%00b%40example.com", "a%ED%A0%80b%40example.com"]) {
      const res = await callAuthRoute(["callback", "password"], {
        body: `csrfToken=${token}&email=${email}&password=x`,
        contentType: "application/x-www-form-urlencoded",
        headers: { cookie },
      });
      expect(res.status, email).toBeLessThan(500);
    }
    const res = await callAuthRoute(["callback", "password"], { body: JSON.stringify({ csrfToken: token, email: "a\u0000@example.com", password: "x" }), contentType: "application/json", headers: { cookie } });
    expect(res.status).toBe(400);
  });

  it("answers %00 in the route's path with a 404, not a 500", async () => {
    expect((await callAuthRoute(["callback", "\u0000"], { body: "", contentType: "application/x-www-form-urlencoded" })).status).toBe(404);
  });

  it("still signs in through the callback route with a clean form (a wrong password is a redirect, not an error)", async () => {
    const { token, cookie } = await csrf();
    const res = await callAuthRoute(["callback", "password"], {
      body: new URLSearchParams({ csrfToken: token, email: `${unique("nobody")}@example.com`, password: "wrong" }).toString(),
      contentType: "application/x-www-form-urlencoded",
      headers: { cookie },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("error=CredentialsSignin");
  });
});

describe("the server actions refuse malformed input with a form error", () => {
  it("refuses a NUL byte in a granted customer's name, and an impossible expiry", async () => {
    const admin = await db.user.create({ data: { email: `${unique("sweep-admin")}@example.com`, role: "VENDOR_ADMIN" } });
    signInAs(admin);
    const before = await state();
    for (const [field, value] of [["customerName", "Ann\u0000"], ["expiresAt", "2027-02-31"], ["expiresAt", "275760-01-01"], ["customerEmail", "\ud800@example.com"]]) {
      const form = new FormData();
      form.set("customerEmail", `${unique("sweep")}@example.com`);
      form.set("productSlug", product.slug);
      form.set("expiresAt", "2030-01-31");
      form.set(field!, value!);
      const result = await grantEntitlementAction(null, form);
      expect(result, `${field}=${JSON.stringify(value)}`).toMatchObject({ ok: false });
      expect(result.ok ? "" : result.error).not.toBe("Something went wrong. Please try again.");
    }
    expect(await state()).toEqual(before);
  });

  it("refuses a 1 MB email for a sign-in link", async () => {
    const form = new FormData();
    form.set("email", `${"a".repeat(1_000_000)}@example.com`);
    const result = await requestSignInLink(null, form);
    expect(result).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String) } });
  });

  it("refuses a NUL byte in an email for a sign-in link", async () => {
    const form = new FormData();
    form.set("email", "ann\u0000@example.com");
    expect(await requestSignInLink(null, form)).toMatchObject({ ok: false });
  });
});
