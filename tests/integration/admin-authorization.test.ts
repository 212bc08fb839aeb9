/// <reference types="vite/client" />
// Every admin server action and admin route handler, found by globbing so later ones are covered
// too, refuses signed-out visitors and customers, and (for changes) read-only vendor viewers,
// before it changes anything.
import { randomUUID } from "node:crypto";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getAccessFallbackHTTPStatus, isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createProductAction } from "@/app/(admin)/admin/products/actions";
import { currentUser, requireVendorWriter } from "@/lib/auth/session";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { endpointSecretAad } from "@/lib/webhooks/endpoints";
import { sealClientSecret } from "@/lib/auth/sso/sealed-client-secret";
import { scopeKey } from "@/lib/auth/sso/sso-scope";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

type Module = Record<string, unknown>;
type Callable = (...args: unknown[]) => Promise<unknown>;

// Route groups are written escaped: unescaped parentheses are glob syntax.
const actionFiles = import.meta.glob<Module>("/app/\\(admin\\)/admin/**/actions.ts");
const routeFiles = import.meta.glob<Module>("/app/\\(admin\\)/**/route.ts");

const exportedFunctions = async (files: Record<string, () => Promise<Module>>) =>
  (
    await Promise.all(
      Object.entries(files).map(async ([file, load]) =>
        Object.entries(await load())
          .filter((entry): entry is [string, Callable] => typeof entry[1] === "function")
          .map(([name, fn]) => ({ file, name, fn, label: `${name} (${file.replace(/^\/app\/\(admin\)\//, "")})` })),
      ),
    )
  ).flat();

const actions = await exportedFunctions(actionFiles);
const READ_METHODS = ["GET", "HEAD"];
const HTTP_METHODS = [...READ_METHODS, "POST", "PUT", "PATCH", "DELETE"];
const routes = (await exportedFunctions(routeFiles)).filter((r) => HTTP_METHODS.includes(r.name));

type Seeded = Awaited<ReturnType<typeof seed>>;
let s: Seeded;

async function seed() {
  const user = (role: UserRole, customerId?: string) =>
    db.user.create({ data: { email: `${unique(role.toLowerCase())}@example.com`, role, customerId } });
  const admin = await user("VENDOR_ADMIN");
  const viewer = await user("VENDOR_VIEWER");
  const customer = await db.customer.create({ data: { name: unique("Refused customer") } });
  const customerOwner = await user("CUSTOMER_OWNER", customer.id);
  const product = await db.product.create({ data: { slug: unique("authz"), name: unique("Authorization product") } });
  // Active but failed to provision, so the entitlement actions all have something to act on.
  const entitlement = await db.entitlement.create({
    data: {
      customerId: customer.id,
      productId: product.id,
      source: "ADMIN",
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
      syncStatus: "FAILED",
      syncError: "seeded failure",
    },
  });
  const apiKey = await db.apiKey.create({ data: { label: unique("key"), prefix: "pgk_seed", hash: unique("hash"), scope: "READ_WRITE", createdById: admin.id, ownedByUser: true } });
  // Queued with nobody working it off, so cancelling it would change it.
  const bulkOperation = await db.bulkOperation.create({
    data: {
      kind: "REPROVISION",
      createdByType: "USER",
      createdById: admin.id,
      createdByLabel: admin.email,
      items: { create: { position: 0, input: entitlement.id, entitlementId: entitlement.id } },
    },
  });
  const price = await db.stripePrice.create({ data: { id: `price_${unique("authz").replace(/[^A-Za-z0-9]/g, "")}`, productId: product.id } });
  // A failed delivery of an enabled endpoint: retrying, disabling or testing it would each change something.
  const endpointId = randomUUID();
  const sealed = seal("whsec_authz", endpointSecretAad(endpointId));
  const endpoint = await db.webhookEndpoint.create({
    data: { id: endpointId, url: "https://hooks.example.com/authz", secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId, enabled: true },
  });
  const delivery = await db.webhookDelivery.create({
    data: {
      status: "FAILED",
      attempts: 8,
      nextAttemptAt: new Date(),
      endpoint: { connect: { id: endpoint.id } },
      event: { create: { type: "entitlement.ready", entitlementId: entitlement.id, data: {}, createdAt: new Date() } },
    },
  });
  // The customer's identity provider with a domain awaiting verification: verifying or removing it would change something.
  const ssoScope = scopeKey({ kind: "customer", customerId: customer.id });
  const ssoSecret = sealClientSecret("authz-client-secret", ssoScope);
  const ssoDomain = `${unique("authz").toLowerCase().replace(/[^a-z0-9]/g, "")}.example.com`;
  await db.ssoConnection.create({
    data: {
      scope: ssoScope,
      customerId: customer.id,
      issuer: "https://login.example.com",
      clientId: "authz-client",
      clientSecretCiphertext: ssoSecret.ciphertext,
      clientSecretKeyId: ssoSecret.keyId,
      defaultRole: "CUSTOMER_MEMBER",
      domains: { create: { domain: ssoDomain } },
    },
  });
  return { admin, viewer, customerOwner, customer, product, entitlement, apiKey, bulkOperation, price, endpoint, delivery, ssoDomain };
}

type SessionHolder = { id: string; sessionEpoch: number };

/**
 * Valid values for the admin forms' fields, so that an action that skipped its role check would go
 * on to change something (and fail the test) instead of stopping at invalid input.
 */
function plausibleForm() {
  const form = new FormData();
  const fields: Record<string, string> = {
    customerEmail: `${unique("buyer")}@example.com`,
    customerName: "Buyer Ltd",
    productSlug: s.product.slug,
    // Later than the seeded entitlement's expiry, so it is a valid extension too.
    expiresAt: new Date(Date.now() + 730 * 86_400_000).toISOString().slice(0, 10),
    externalRef: unique("order"),
    name: "acme/reporting",
    slug: unique("new-product"),
    description: "A product",
    gracePeriodDays: "0",
    label: "Billing webhook",
    region: inject("integration").region,
    reason: "Contract ended",
    renewalUrl: "https://store.example.com/renew",
    email: `${unique("invitee")}@example.com`,
    role: "VENDOR_ADMIN",
    kind: "EXTEND",
    ids: s.entitlement.id,
    priceId: `price_${unique("new").replace(/[^A-Za-z0-9]/g, "")}`,
    url: "https://hooks.example.com/new",
    // A dead letter's job id.
    id: randomUUID(),
    // The MFA rule switched on, and a staff member whose MFA an owner would reset.
    requireMfa: "on",
    userId: s.viewer.id,
    // A customer's single sign-on domain awaiting the vendor's verification.
    domain: s.ssoDomain,
  };
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

/** An action's parameter names, read from its source: they say what each argument is. */
function parameterNames(fn: Callable): string[] {
  const list = /^[^(]*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? "";
  return list
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Plausible values for a parameter, by its name: a real row for an id, null for the form's previous state. */
function valuesFor(name: string, action: string): unknown[] {
  if (/^_?prev/i.test(name)) return [null];
  if (name === "formData") return [plausibleForm()];
  const rows: Record<string, unknown[]> = {
    entitlementId: [s.entitlement.id],
    customerId: [s.customer.id],
    productId: [s.product.id],
    operationId: [s.bulkOperation.id],
    priceId: [s.price.id],
    endpointId: [s.endpoint.id],
    deliveryId: [s.delivery.id],
    enabled: [true, false],
    userId: [s.customerOwner.id, s.viewer.id],
    // A bare id may name any of them.
    id: [s.entitlement.id, s.customer.id, s.product.id, s.apiKey.id, s.bulkOperation.id, s.endpoint.id],
  };
  const values = rows[name];
  if (!values) throw new Error(`No plausible value for parameter "${name}" of ${action}: add one here`);
  return values;
}

/** Every combination of plausible arguments for the action's parameters. */
function argumentLists(fn: Callable, action: string): unknown[][] {
  return parameterNames(fn).reduce<unknown[][]>((lists, name) => lists.flatMap((list) => valuesFor(name, action).map((value) => [...list, value])), [[]]);
}

/** Everything a refused call must leave as it was. */
async function snapshot() {
  return {
    auditEvents: await db.auditEvent.count(),
    entitlements: await db.entitlement.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    apiKeys: await db.apiKey.count(),
    revokedApiKeys: await db.apiKey.count({ where: { revokedAt: { not: null } } }),
    products: await db.product.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    repositories: await db.repository.count(),
    customers: await db.customer.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    users: await db.user.aggregate({ _count: { _all: true }, _max: { updatedAt: true }, _sum: { sessionEpoch: true } }),
    loginTokens: await db.loginToken.count(),
    vendorSettings: await db.vendorSettings.findMany(),
    bulkOperations: await db.bulkOperation.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
    bulkItems: await db.bulkOperationItem.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
    driftRuns: await db.driftRun.count(),
    stripePrices: await db.stripePrice.count(),
    webhookEndpoints: await db.webhookEndpoint.groupBy({ by: ["enabled"], _count: { _all: true }, orderBy: { enabled: "asc" } }),
    webhookEvents: await db.webhookEvent.count(),
    webhookDeliveries: await db.webhookDelivery.groupBy({ by: ["status"], _count: { _all: true }, _sum: { attempts: true }, orderBy: { status: "asc" } }),
    ssoConnections: await db.ssoConnection.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    ssoDomains: await db.ssoDomain.groupBy({ by: ["verifiedAt"], _count: { _all: true }, orderBy: { verifiedAt: "asc" } }),
  };
}

/** The guard's own refusal for the signed-in identity: what every action must answer with. */
async function writerGuardRefusal(): Promise<AppError> {
  try {
    await requireVendorWriter();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("The writer guard let this identity through");
}

/** A refused action either returns the guard's message as a failed result or throws the guard's error. */
async function actionOutcome(call: () => Promise<unknown>): Promise<{ refusedWith: string } | { other: unknown }> {
  try {
    const result = (await call()) as { ok?: boolean; error?: string } | undefined;
    return result?.ok === false && result.error ? { refusedWith: result.error } : { other: result };
  } catch (error) {
    return error instanceof AppError ? { refusedWith: `${error.code}: ${error.message}` } : { other: String(error) };
  }
}

/**
 * The HTTP status a route handler's outcome becomes in Next: a redirect to the sign-in page counts
 * as 401, and forbidden()/unauthorized() as their status.
 */
async function httpStatus(call: () => Promise<unknown>): Promise<number | string> {
  try {
    const response = await call();
    return response instanceof Response ? response.status : `returned ${String(response)}`;
  } catch (error) {
    if (isRedirectError(error)) {
      const to = getURLFromRedirectError(error);
      return new URL(to, "http://localhost").pathname === "/login" ? 401 : `redirected to ${to}`;
    }
    if (isHTTPAccessFallbackError(error)) return getAccessFallbackHTTPStatus(error);
    if (error instanceof AppError) return error.status;
    return `threw ${String(error)}`;
  }
}

/** "/app/(admin)/admin/audit/[id]/route.ts" → its URL path and params, dynamic segments filled with a real id. */
function routeRequest(file: string) {
  const segments = file
    .replace(/^\/app\//, "")
    .replace(/\/route\.ts$/, "")
    .split("/")
    .filter((segment) => !/^\(.*\)$/.test(segment));
  const params: Record<string, string> = {};
  const path = segments.map((segment) => {
    const name = /^\[(\w+)\]$/.exec(segment)?.[1];
    if (!name) return segment;
    params[name] = s.entitlement.id;
    return s.entitlement.id;
  });
  return { url: `http://127.0.0.1:3999/${path.join("/")}`, params };
}

/** mayRead: admin reads (GET and HEAD routes) are open to this identity; changes never are. */
type RefusedIdentity = { who: string; code: AppErrorCode; status: number; user: () => SessionHolder | null; mayRead: boolean };

const refused: RefusedIdentity[] = [
  { who: "a signed-out visitor", code: "UNAUTHENTICATED", status: 401, user: () => null, mayRead: false },
  { who: "a customer owner", code: "FORBIDDEN", status: 403, user: () => s.customerOwner, mayRead: false },
  { who: "a vendor viewer", code: "FORBIDDEN", status: 403, user: () => s.viewer, mayRead: true },
];

beforeAll(async () => {
  s = await seed();
});

afterAll(closePools);

describe("admin authorization", () => {
  it("finds the admin actions by globbing, so a broken pattern cannot pass with nothing to check", () => {
    expect(actions.length).toBeGreaterThan(5);
    expect(actions.map((a) => a.name)).toContain("createProductAction");
  });

  it("signs each seeded user in through the mocked session", async () => {
    signInAs(null);
    expect(await currentUser()).toBeNull();
    for (const user of [s.admin, s.viewer, s.customerOwner]) {
      signInAs(user);
      expect(await currentUser()).toMatchObject({ id: user.id, role: user.role });
    }
  });

  it("lets a vendor admin change things through an action (the refusals below are not the mock's doing)", async () => {
    signInAs(s.admin);
    const before = await snapshot();
    const result = await createProductAction(null, plausibleForm());
    expect(result).toMatchObject({ ok: true });
    const after = await snapshot();
    expect(after.products._count._all).toBe(before.products._count._all + 1);
    expect(after.auditEvents).toBe(before.auditEvents + 1);
  });

  describe.each(refused)("for $who", ({ code, status, user, mayRead }) => {
    it.each(actions.map((a) => [a.label, a] as const))("refuses %s and changes nothing", async (label, { fn }) => {
      signInAs(user());
      const guard = await writerGuardRefusal();
      expect(guard.code).toBe(code);
      for (const args of argumentLists(fn, label)) {
        const called = `called with (${args.map((a) => (a instanceof FormData ? "FormData" : JSON.stringify(a))).join(", ")})`;
        const before = await snapshot();
        const outcome = await actionOutcome(() => fn(...args));
        expect(outcome, called).toEqual({ refusedWith: expect.stringContaining(guard.message) });
        expect(await snapshot(), called).toEqual(before);
      }
    });

    const checkedRoutes = routes.filter((r) => !mayRead || !READ_METHODS.includes(r.name));
    it.skipIf(checkedRoutes.length === 0).each(checkedRoutes.map((r) => [r.label, r] as const))(
      "answers %s with a refusal and changes nothing",
      async (_label, { file, fn, name }) => {
        signInAs(user());
        const { url, params } = routeRequest(file);
        const before = await snapshot();
        expect(await httpStatus(() => fn(new NextRequest(url, { method: name }), { params: Promise.resolve(params) }))).toBe(status);
        expect(await snapshot()).toEqual(before);
      },
    );
  });
});
