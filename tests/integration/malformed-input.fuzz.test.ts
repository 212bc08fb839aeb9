// Issue 18, point 9, proven by generation: fast-check sends well over 1,000 malformed requests
// across the v1 API (every route and method), the Stripe webhook, the sign-in routes (credentials
// callback, email-link callback, the link request, next-auth's GETs) and the server actions, as a
// signed-in vendor owner and customer owner. Every request is malformed by construction (a NUL, an
// unpaired surrogate, a control character, an over-long value, an impossible or out-of-range date,
// a wrong type, an id no record could have, JSON that does not parse, a bad signature). No answer
// may be a 5xx (for an action: its form error may not be the generic "went wrong"), and customers,
// users, entitlements, access keys, API keys, repository grants, repositories and products are
// exactly as before (audit events, rate-limit counters and an API key's lastUsedAt excepted).
// The seed is fixed, so a run is reproducible; FUZZ_SEED overrides it.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(admin)/admin/api-keys/actions";
import { cancelBulkOperationAction } from "@/app/(admin)/admin/bulk/actions";
import { inviteCustomerUserAction, removeCustomerUserAction, saveCustomerSsoAction, verifyCustomerSsoDomainAction } from "@/app/(admin)/admin/customers/[id]/actions";
import { retryDeadLetterAction } from "@/app/(admin)/admin/engine/actions";
import {
  convertTrialAction,
  extendEntitlementAction,
  reprovisionEntitlementAction,
  resumeEntitlementAction,
  revokeEntitlementAction,
  rotateAccessKeyAction as adminRotateAccessKeyAction,
  suspendEntitlementAction,
} from "@/app/(admin)/admin/entitlements/[id]/actions";
import { grantEntitlementAction } from "@/app/(admin)/admin/entitlements/actions";
import { addStripePriceAction, attachRepositoryAction, createProductAction, removeStripePriceAction, setAccessModesAction, setProductTermsAction } from "@/app/(admin)/admin/products/actions";
import { changeTeamRoleAction, inviteTeamMemberAction, removeTeamMemberAction, saveTeamSsoAction, setTeamSsoOnlyAction } from "@/app/(admin)/admin/team/actions";
import {
  createWebhookEndpointAction,
  deleteWebhookEndpointAction,
  retryDeliveryAction,
  sendTestEventAction,
  setWebhookEndpointEnabledAction,
} from "@/app/(admin)/admin/webhooks/actions";
import { registerPasskeyAction, removePasskeyAction } from "@/app/(auth)/account/security/actions";
import { requestSignInLink } from "@/app/(auth)/login/actions";
import { retireAccessKeyAction, revealSecretAction } from "@/app/(customer)/portal/actions";
import { inviteTeamUserAction, saveTeamSsoAction as savePortalSsoAction } from "@/app/(customer)/portal/team/actions";
import { createPullTokenAction, revokePullTokenAction } from "@/app/(customer)/portal/tokens/actions";
import { registerWorkloadAction, removeWorkloadAction } from "@/app/(customer)/portal/workloads/actions";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import type { ActionResult } from "@/lib/actions/action-result";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { ERROR_CODES } from "@/lib/errors";
import { callAuthRoute, csrf } from "../support/auth-route";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";
import { checkoutSession, paidInvoice, stripeEvent, stripeSignature, subscription } from "../support/stripe-events";
import { routeFileOf } from "../support/v1-client";

vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "198.51.100.18", "user-agent": "MalformedInputFuzz/1.0" }),
}));

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_809);
const RUNS = { v1: 640, stripe: 200, signIn: 200, actions: 360 };

// ---- what must not change -------------------------------------------------------------------

// A passkey's signature counter is a BigInt, which JSON cannot hold as it is.
const digest = (rows: unknown[]) =>
  createHash("sha256")
    .update(JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)))
    .digest("hex")
    .slice(0, 16);
const byId = { orderBy: { id: "asc" } } as const;

/** Row counts and a hash of every column of the tables malformed input must never change. */
async function protectedState() {
  const tables = {
    customers: await db.customer.findMany(byId),
    users: await db.user.findMany(byId),
    entitlements: await db.entitlement.findMany(byId),
    accessKeys: await db.accessKey.findMany(byId),
    // lastUsedAt is usage, like the rate-limit counters: every authenticated request moves it.
    apiKeys: (await db.apiKey.findMany(byId)).map((key) => ({ ...key, lastUsedAt: undefined })),
    repositoryGrants: await db.repositoryGrant.findMany(byId),
    repositories: await db.repository.findMany(byId),
    products: await db.product.findMany(byId),
    passkeys: await db.passkey.findMany(byId),
    pullTokens: (await db.pullToken.findMany(byId)).map((token) => ({ ...token, lastUsedAt: undefined })),
    workloadIdentities: await db.workloadIdentity.findMany(byId),
  };
  return Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, { rows: rows.length, hash: digest(rows) }]));
}

// ---- figures ------------------------------------------------------------------------------------

type Tally = { cases: number; serverErrors: number; statuses: Record<string, number>; examples: string[] };
const figures: Record<string, Tally> = {};
function record(surface: string, status: number | string, describe: () => string) {
  const tally = (figures[surface] ??= { cases: 0, serverErrors: 0, statuses: {}, examples: [] });
  tally.cases++;
  tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  const failed = typeof status === "number" ? status >= 500 : status === "INTERNAL";
  if (failed) {
    tally.serverErrors++;
    if (tally.examples.length < 5) tally.examples.push(describe().slice(0, 300));
  }
  return !failed;
}

// ---- generators ---------------------------------------------------------------------------------

/** Any UTF-16 code unit: NUL, controls, lone surrogate halves, everything. */
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.string({ unit, maxLength: 30 });
const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const C0 = [...Array(32).keys()].filter((c) => ![9, 10, 13].includes(c)).map((c) => String.fromCharCode(c));

/** One thing no text field takes. */
const poison = fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\u007f", ...C0);
/** Text carrying poison (fenced by letters so a lone surrogate never pairs up with a neighbour), or longer than any field. */
const poisoned = fc.tuple(anyText, poison, anyText).map(([a, p, b]) => `${a}x${p}x${b}`);
const tooLong = fc.integer({ min: 10_001, max: 120_000 }).map((n) => "a".repeat(n));
const badText = fc.oneof({ weight: 4, arbitrary: poisoned }, { weight: 1, arbitrary: tooLong });
/** Bad text a form can carry (FormData turns a lone surrogate into U+FFFD, as a browser does). */
const formPoison = fc.oneof(
  fc.tuple(ascii, fc.constantFrom("\u0000", "\u007f", ...C0), ascii).map(([a, p, b]) => `${a}x${p}x${b}`),
  tooLong,
);

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** Dates that are not ISO 8601, not a real calendar day or time, or outside the years 2000–2999. */
const badDate = fc.oneof(
  fc.constantFrom(
    "2027-02-31", "2028-02-30", "2027-02-29", "2027-04-31", "2030-13-01", "2030-00-10", "2030-01-00",
    "0000-01-01T00:00:00Z", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "3000-01-01T00:00:00Z",
    "2030-01-01T24:00:00Z", "2030-01-01T23:60:00Z", "2030-01-01T00:00:61Z", "2030-01-01T00:00:00+24:00", "2030-01-01T00:00:00",
    "March 3, 2030", "2030/01/01", "20300101", "1e12", "2030-1-1", "Invalid Date", "2030-01-01T00:00:00.000Zjunk", "2030-02-31T00:00:00Z",
  ),
  fc
    .record({ y: fc.integer({ min: 2000, max: 2999 }), m: fc.integer({ min: 1, max: 12 }), past: fc.integer({ min: 1, max: 5 }) })
    .map(({ y, m, past }) => `${y}-${pad(m, 2)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate() + past, 2)}`),
  fc.oneof(fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 3000, max: 9999 })).map((y) => `${pad(y, 4)}-06-15T00:00:00Z`),
  fc.integer({ min: 10_000, max: 275_760 }).map((y) => `+${pad(y, 6)}-01-01T00:00:00Z`),
  ascii.filter((s) => s.trim() !== "" && !/^\d{4}-\d{2}-\d{2}/.test(s)),
  badText,
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ nested: "object" }));
const badEmail = fc.oneof(
  badText.map((t) => `${t}@example.com`),
  fc.integer({ min: 243, max: 300_000 }).map((n) => `${"a".repeat(n)}@example.com`),
  fc.constantFrom("not-an-email", "@example.com", "a@", "a@@example.com", "a b@example.com", "a@exa mple.com", "<a@example.com>"),
);
/** Ids no record could have: NUL, `%00` as sent, path tricks, surrogates, a kilobyte. */
const badId = fc.oneof(
  fc.constantFrom("\u0000", "%00", "abc\u0000", "..", "../customers", "a/b", " ", "\ud800", "c\udc00", "%ED%A0%80"),
  badText,
  fc.integer({ min: 101, max: 5_000 }).map((n) => "c".repeat(n)),
);
/** Text that never parses as JSON. */
const badJson = fc.oneof(
  fc.constantFrom("{", '{"a":', "[1,", "nul", "{'a':1}", "\u0000", '{"customerEmail":"a@example.com",}', "{}}", '"\\ud800', "\\u0000"),
  ascii.map((s) => `{${s}`),
);

// ---- fixtures -----------------------------------------------------------------------------------

const { product } = productOnNewRepositoryFixture();
const keys: string[] = [];
let nextKey = 0;
const fixture = {} as {
  entitlementId: string;
  customerId: string;
  productId: string;
  owner: { id: string; sessionEpoch: number };
  customerOwner: { id: string; sessionEpoch: number };
  csrf: { token: string; cookie: string };
};
let before: Awaited<ReturnType<typeof protectedState>>;
const started = Date.now();

beforeAll(async () => {
  // Several keys share the work, so no answer is the rate limit's 429 instead of the check under test.
  for (let i = 0; i < 3; i++) keys.push((await createApiKey({ actor: systemActor("test"), input: { label: unique("fuzz"), scope: "READ_WRITE" } })).key);
  const granted = await callV1({ template: "/entitlements", method: "POST", body: JSON.stringify({ customerEmail: `${unique("fuzz")}@example.com`, productSlug: product.slug, expiresAt: inAYear() }) });
  expect(granted.status).toBe(201);
  const { id, customer } = granted.json as { id: string; customer: { id: string } };
  const owner = await db.user.create({ data: { email: `${unique("fuzz-owner")}@vendor.example`, role: "VENDOR_OWNER" } });
  const customerOwner = await db.user.create({ data: { email: `${unique("fuzz-customer")}@example.com`, role: "CUSTOMER_OWNER", customerId: customer.id } });
  const { id: productId } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
  Object.assign(fixture, { entitlementId: id, customerId: customer.id, productId, owner, customerOwner, csrf: await csrf() });
  before = await protectedState();
});

// An endpoint the generated forms created (its URL is the one valid field they carry) would
// collect every later file's lifecycle events as dead deliveries.
afterAll(() => db.webhookEndpoint.deleteMany({ where: { url: "https://hooks.example.com/fuzz" } }));

afterAll(() => {
  const total = Object.values(figures).reduce((sum, t) => sum + t.cases, 0);
  const serverErrors = Object.values(figures).reduce((sum, t) => sum + t.serverErrors, 0);
  const summary = { seed: SEED, total, serverErrors, seconds: Math.round((Date.now() - started) / 1000), surfaces: figures };
  console.log(`malformed-input fuzz figures: ${JSON.stringify(summary, null, 2)}`);
});

const fcOptions = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

// ---- the v1 API ---------------------------------------------------------------------------------

type V1Req = { template: string; method: "GET" | "POST"; params?: Record<string, string>; query?: [string, string][]; body?: string; contentType?: string };

const encodePart = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80"; // a lone surrogate as its UTF-8-shaped bytes: what a client could send
  }
};

/** Calls a v1 route handler as Next would, with the decoded parameters it would pass. */
async function callV1(req: V1Req): Promise<{ status: number; json: unknown }> {
  const path = req.template.replace(/\{(\w+)\}/g, (_, name: string) => encodePart(req.params?.[name] ?? ""));
  const search = (req.query ?? []).map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`).join("&");
  const url = `http://localhost/api/v1${path}${search ? `?${search}` : ""}`;
  const headers = { "content-type": req.contentType ?? "application/json", authorization: `Bearer ${keys[nextKey++ % keys.length]}` };
  const route = (await import(routeFileOf(req.template))) as Record<string, (r: Request, c: { params: Promise<unknown> }) => Promise<Response>>;
  const res = await route[req.method]!(new Request(url, { method: req.method, headers, body: req.body }), { params: Promise.resolve(req.params ?? {}) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

const listQuery = fc.oneof(
  fc.tuple(fc.constant("limit"), fc.oneof(fc.constantFrom("0", "-1", "101", "1e3", "abc", "1.5", "", "9".repeat(400)), badText)),
  fc.tuple(fc.constant("cursor"), fc.oneof(ascii, badText, fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? "x").toString("base64url")))),
  fc.tuple(fc.constant("email"), badEmail),
  fc.tuple(fc.constantFrom("customerId", "product", "status", "q"), badText),
  fc.tuple(badText, ascii),
);
const listRequest = fc.record({
  template: fc.constantFrom("/customers", "/entitlements", "/products"),
  method: fc.constant("GET" as const),
  query: fc.array(listQuery, { minLength: 1, maxLength: 3 }),
});
const itemRequest = fc.record({
  template: fc.constantFrom("/customers/{id}", "/entitlements/{id}", "/products/{slug}"),
  method: fc.constant("GET" as const),
  id: badId,
}).map(({ id, ...r }) => ({ ...r, params: { id, slug: id } }));

const grantFields = {
  customerEmail: fc.oneof(badEmail, wrongType),
  customerName: fc.oneof(badText, wrongType),
  productSlug: fc.oneof(badText, wrongType),
  startsAt: fc.oneof(badDate, wrongType),
  expiresAt: fc.oneof(badDate, wrongType),
  externalRef: fc.oneof(badText, wrongType),
  kind: fc.oneof(anyText, wrongType),
};
/** A grant that would be valid but for at least one bad field (or an unknown one). */
const badGrantBody = fc
  .record({
    bad: fc.subarray(Object.keys(grantFields) as (keyof typeof grantFields)[], { minLength: 1, maxLength: 3 }),
    values: fc.record(grantFields),
    extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in grantFields)), fc.jsonValue()), { nil: undefined }),
  })
  .map(({ bad, values, extra }) => {
    const body: Record<string, unknown> = { customerEmail: `${unique("fuzz")}@example.com`, productSlug: product.slug, expiresAt: inAYear() };
    for (const field of bad) body[field] = values[field];
    if (extra) body[extra[0]] = extra[1];
    return JSON.stringify(body);
  });
const grantRequest = fc.record({
  template: fc.constant("/entitlements"),
  method: fc.constant("POST" as const),
  body: fc.oneof({ weight: 4, arbitrary: badGrantBody }, { weight: 1, arbitrary: badJson }, { weight: 1, arbitrary: fc.constantFrom("null", "[]", "1", '"text"', "true") }),
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "") }),
});

const ACTIONS = ["extend", "convert", "suspend", "resume", "revoke"] as const;
/** A body each action refuses: a bad or wrongly typed field, an unknown field, or no JSON at all. */
const badActionBody = fc.oneof(
  fc.record({ expiresAt: fc.oneof(badDate, wrongType) }).map((b) => JSON.stringify(b)),
  fc.record({ reason: fc.oneof(badText, wrongType) }).map((b) => JSON.stringify(b)),
  fc.record({ reason: ascii, surprise: fc.jsonValue() }).map((b) => JSON.stringify(b)),
  badJson,
  fc.constantFrom("null", "[]", "1", '"text"'),
);
const actionRequest = fc.oneof(
  // The real entitlement, with a body its action must refuse (a NUL/surrogate body the strict schemas refuse too).
  fc.record({ action: fc.constantFrom(...ACTIONS), body: badActionBody }).map(({ action, body }) => ({ action, body, real: true })),
  // An id no entitlement could have, with any body at all.
  fc.record({ action: fc.constantFrom(...ACTIONS), id: badId, body: fc.oneof(fc.constant(""), fc.constant("{}"), badActionBody) }).map((r) => ({ ...r, real: false })),
);

describe("the v1 API", () => {
  it(`answers ${RUNS.v1} malformed requests across every route and method without a 5xx`, async () => {
    const request = fc.oneof(
      { weight: 2, arbitrary: listRequest },
      { weight: 2, arbitrary: itemRequest },
      { weight: 3, arbitrary: grantRequest },
      { weight: 4, arbitrary: actionRequest.map(({ action, body, real, ...r }) => ({ template: `/entitlements/{id}/${action}`, method: "POST" as const, params: { id: real ? "" : (r as { id: string }).id }, body, real })) },
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const withId = "real" in req && req.real ? { ...req, params: { id: fixture.entitlementId } } : req;
        const { status, json } = await callV1(withId as V1Req);
        const ok = record(`v1 ${req.method} ${req.template}`, status, () => `${JSON.stringify(withId).slice(0, 200)} -> ${status} ${JSON.stringify(json)}`);
        expect(ok, `${req.method} ${req.template} answered ${status}`).toBe(true);
        expect(JSON.stringify(json)).not.toMatch(/prisma|postgres|invalid byte sequence|out of range for type|DriverAdapter/i);
      }),
      fcOptions(RUNS.v1),
    );
    expect(await protectedState()).toEqual(before);
  });
});

// ---- the Stripe webhook -------------------------------------------------------------------------

const set = (target: Record<string, unknown>, path: readonly string[], value: unknown) => {
  let at = target;
  for (const key of path.slice(0, -1)) {
    at[key] ??= {};
    // An earlier corruption replaced this level with a scalar: the event is malformed already.
    if (typeof at[key] !== "object" || at[key] === null) return;
    at = at[key] as Record<string, unknown>;
  }
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
};

type EventKind = "checkout" | "invoice" | "subscription" | "other";
function baseEvent(kind: EventKind) {
  const email = `${unique("stripe-fuzz")}@example.com`;
  const periodEnd = new Date(Date.now() + 30 * 86_400_000);
  if (kind === "checkout") return stripeEvent("checkout.session.completed", checkoutSession({ email }));
  if (kind === "invoice") return stripeEvent("invoice.paid", paidInvoice({ subscriptionId: unique("sub"), priceId: "price_fuzz", email, periodStart: new Date(), periodEnd }));
  if (kind === "subscription") return stripeEvent("customer.subscription.deleted", subscription(unique("sub"), "price_fuzz", periodEnd));
  return stripeEvent("customer.created", { id: unique("cus"), object: "customer", email });
}
const eventKind = fc.constantFrom<EventKind>("checkout", "invoice", "subscription", "other");
const notATime = fc.constantFrom(-1, 0, 1e15, 253_402_300_800, 8.64e12, 1e308, "1700000000");
/** One change that makes a signed event malformed: its id, type, time, data, a value anywhere, or a value the event's kind reads. */
const corruption = (kind: EventKind) =>
  fc.oneof<fc.Arbitrary<[readonly string[], unknown]>[]>(
    fc.tuple(fc.constant(["id"]), fc.oneof(badId, wrongType, fc.constant(undefined))),
    fc.tuple(fc.constant(["type"]), fc.oneof(wrongType, badText.filter((t) => t.length < 5_000), fc.constant(undefined))),
    fc.tuple(fc.constant(["created"]), fc.oneof(wrongType.filter((v) => !Number.isSafeInteger(v)), notATime, fc.constant(undefined))),
    fc.tuple(fc.constant(["data"]), fc.constantFrom(null, [], "x", 1, undefined)),
    fc.tuple(fc.constant(["data", "object"]), fc.constantFrom(null, "x", 1, undefined)),
    fc.tuple(fc.constantFrom(["data", "object", "customer_details", "name"], ["data", "object", "customer"], ["data", "object", "id"], ["data", "object", "metadata", "note"], ["livemode"]), poisoned),
    fc.tuple(poisoned.filter((k) => k.length < 100).map((k) => ["data", "object", k]), ascii),
    ...(kind === "checkout" ? [fc.tuple(fc.constant(["data", "object", "customer_details", "email"]), badEmail.filter((e) => e.length < 50_000))] : []),
    ...(kind === "invoice"
      ? [
          fc.tuple(fc.constant(["data", "object", "customer_email"]), badEmail.filter((e) => e.length < 50_000)),
          fc.tuple(fc.constant(["data", "object", "lines", "data", "0", "period", "end"]), notATime.filter((t) => t !== 0 && t !== -1)),
        ]
      : []),
    ...(kind === "subscription" ? [fc.tuple(fc.constant(["data", "object", "items", "data", "0", "current_period_end"]), notATime.filter((t) => t !== 0 && t !== -1))] : []),
  );
const stripeCase = fc.oneof(
  // Not signed by Stripe: no header, garbage, another secret, a stale signature.
  fc.record({
    kind: eventKind,
    signature: fc.oneof(fc.constant(null), ascii, fc.constantFrom("t=1,v1=deadbeef", "v1=", "t=,v1=", "t=abc,v1=00")),
    mode: fc.constantFrom("garbage", "other-secret", "stale"),
  }).map(({ kind, signature, mode }) => {
    const payload = JSON.stringify(baseEvent(kind));
    if (mode === "other-secret") return { payload, signature: stripeSignature(payload, { secret: "whsec_not_the_one" }) };
    if (mode === "stale") return { payload, signature: stripeSignature(payload, { signedAt: new Date(Date.now() - 3_600_000) }) };
    return { payload, signature };
  }),
  // Signed, but not JSON, or JSON that is no event.
  fc.oneof(badJson, fc.constantFrom("null", "[]", "1", '"evt"', "true", "{}")).map((payload) => ({ payload, signature: stripeSignature(payload) })),
  // Signed, well-formed JSON, an event shape that is wrong somewhere.
  eventKind.chain((kind) => fc.record({ kind: fc.constant(kind), changes: fc.array(corruption(kind), { minLength: 1, maxLength: 3 }) })).map(({ kind, changes }) => {
    const copy = baseEvent(kind);
    // Arrays in a path are addressed by index ("0"); a corruption under one that is absent makes it.
    for (const [path, value] of changes) set(copy, path, value);
    const payload = JSON.stringify(copy);
    return { payload, signature: stripeSignature(payload) };
  }),
);

describe("the Stripe webhook", () => {
  it(`answers ${RUNS.stripe} malformed deliveries without a 5xx`, async () => {
    const storedBefore = await db.stripeEvent.count();
    await fc.assert(
      fc.asyncProperty(stripeCase, async ({ payload, signature }) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (signature !== null) headers["stripe-signature"] = signature;
        const res = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body: payload }));
        const body = await res.json();
        const ok = record("Stripe webhook", res.status, () => `${payload.slice(0, 200)} -> ${res.status} ${JSON.stringify(body)}`);
        expect(ok, `answered ${res.status}: ${JSON.stringify(body)}`).toBe(true);
        expect(res.status, `a malformed delivery is refused: ${payload.slice(0, 300)}`).toBe(400);
      }),
      fcOptions(RUNS.stripe),
    );
    expect(await db.stripeEvent.count()).toBe(storedBefore);
    expect(await protectedState()).toEqual(before);
  });
});

// ---- sign-in ------------------------------------------------------------------------------------

type SignInCase =
  | { kind: "callback"; provider: "password" | "email-link" | "passkey"; body: string; contentType: string; csrf: boolean }
  | { kind: "path"; path: string[] }
  | { kind: "get"; path: readonly string[]; query: string }
  | { kind: "link"; email: string };

const formEncode = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`)
    .join("&");

const signInCase: fc.Arbitrary<SignInCase> = fc.oneof(
  fc.record({
    email: fc.oneof(badEmail.filter((e) => e.length < 20_000), wrongType),
    password: fc.oneof(badText.filter((t) => t.length < 20_000), ascii, wrongType),
    token: fc.oneof(badText.filter((t) => t.length < 20_000), wrongType),
    provider: fc.constantFrom("password" as const, "email-link" as const, "passkey" as const),
    json: fc.boolean(),
    csrf: fc.boolean(),
  }).map(({ email, password, token, provider, json, csrf: withCsrf }): SignInCase => {
    const fields: Record<string, unknown> = provider === "password" ? { email, password } : provider === "passkey" ? { response: token } : { token };
    if (withCsrf) fields.csrfToken = fixture.csrf.token;
    const body = json ? JSON.stringify(fields) : formEncode(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    return { kind: "callback", provider, body, contentType: json ? "application/json" : "application/x-www-form-urlencoded", csrf: withCsrf };
  }),
  fc.record({ provider: fc.constantFrom("password" as const, "email-link" as const, "passkey" as const), body: fc.oneof(badJson, fc.integer({ min: 100_001, max: 150_000 }).map((n) => `{"email":"${"a".repeat(n)}"}`)), csrf: fc.boolean() }).map(
    ({ provider, body, csrf: withCsrf }): SignInCase => ({ kind: "callback", provider, body, contentType: "application/json", csrf: withCsrf }),
  ),
  fc.tuple(fc.constantFrom("callback", "signin", "signout", "csrf", "session"), badId).map(([action, id]): SignInCase => ({ kind: "path", path: [action, id] })),
  fc.record({ path: fc.constantFrom(["signin"], ["session"], ["csrf"], ["providers"], ["error"], ["signin", "password"]), name: fc.constantFrom("callbackUrl", "error", "csrf"), value: fc.constantFrom("%00", "%ED%A0%80", "a%01b", "%7F", `${"a".repeat(3_000)}`) }).map(
    ({ path, name, value }): SignInCase => ({ kind: "get", path, query: `?${name}=${value}` }),
  ),
  badEmail.map((email): SignInCase => ({ kind: "link", email })),
);

describe("the sign-in routes and the sign-in link request", () => {
  it(`answer ${RUNS.signIn} malformed requests without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(signInCase, async (c) => {
        if (c.kind === "link") {
          const form = new FormData();
          form.set("email", c.email);
          const result = await requestSignInLink(null, form);
          const ok = record("sign-in link request (action)", result.ok ? "ok" : result.error === ERROR_CODES.INTERNAL.message ? "INTERNAL" : "refused", () => c.email.slice(0, 200));
          expect(ok).toBe(true);
          expect(result.ok, `refused: ${c.email.slice(0, 100)}`).toBe(false);
          return;
        }
        const res =
          c.kind === "callback"
            ? await callAuthRoute(["callback", c.provider], { body: c.body, contentType: c.contentType, headers: c.csrf ? { cookie: fixture.csrf.cookie } : {} })
            : c.kind === "path"
              ? await callAuthRoute(c.path, { body: "", contentType: "application/x-www-form-urlencoded" })
              : await callAuthRoute(c.path, { method: "GET", query: c.query });
        const surface = c.kind === "callback" ? `sign-in callback/${c.provider}` : c.kind === "path" ? "sign-in route, bad path" : "sign-in GETs, bad query";
        const ok = record(surface, res.status, () => `${JSON.stringify(c).slice(0, 200)} -> ${res.status}`);
        expect(ok, `${JSON.stringify(c).slice(0, 200)} answered ${res.status}`).toBe(true);
        // Never a signed-in session: no session cookie is set by a malformed sign-in.
        expect(res.headers.getSetCookie().some((cookie) => cookie.startsWith("next-auth.session-token="))).toBe(false);
      }),
      fcOptions(RUNS.signIn),
    );
    expect(await protectedState()).toEqual(before);
  });
});

// ---- the server actions -------------------------------------------------------------------------

const form = (fields: Record<string, string | undefined>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) data.set(name, value);
  return data;
};
/** Fields of a form, every one optional and sometimes clean, with at least one of `must` poisoned. */
const formWith = (must: string[], clean: Record<string, fc.Arbitrary<string>>) =>
  fc
    .record({
      poisoned: fc.subarray(must, { minLength: 1 }),
      values: fc.record(Object.fromEntries(must.map((name) => [name, formPoison]))),
      cleanValues: fc.record(clean),
    })
    .map(({ poisoned: names, values, cleanValues }) => ({ ...cleanValues, ...Object.fromEntries(names.map((n) => [n, values[n]!])) }));
const badDateForm = badDate.filter((d) => typeof d === "string" && d.trim() !== "");
const anyId = fc.oneof(badId, fc.constant("")).map((id) => id);

const ssoForm = formWith(["issuer", "clientId", "clientSecret", "domains", "defaultRole", "enabled"], {
  issuer: fc.constant("http://127.0.0.1:9"),
  clientId: fc.constant("fuzz-client"),
  clientSecret: fc.constant("fuzz-secret"),
  domains: fc.constant("fuzz-sso.example"),
  defaultRole: fc.constant("VENDOR_VIEWER"),
  enabled: fc.constant("on"),
});

type Act = { name: string; as: "owner" | "customer"; run: () => Promise<ActionResult<unknown>> };

const actionCase: fc.Arbitrary<Act> = fc.oneof(
  formWith(["customerEmail", "customerName", "productSlug", "externalRef"], { customerEmail: fc.constant("fuzz-grant@example.com"), expiresAt: fc.constant("2031-01-31") }).map(
    (f): Act => ({ name: "grantEntitlementAction", as: "owner", run: () => grantEntitlementAction(null, form({ productSlug: product.slug, ...f })) }),
  ),
  badDateForm.map((d): Act => ({ name: "grantEntitlementAction (date)", as: "owner", run: () => grantEntitlementAction(null, form({ customerEmail: "fuzz-grant@example.com", productSlug: product.slug, expiresAt: d })) })),
  fc.tuple(fc.boolean(), anyId, badDateForm).map(([real, id, d]): Act => ({ name: "extendEntitlementAction", as: "owner", run: () => extendEntitlementAction(real ? fixture.entitlementId : id, null, form({ expiresAt: d })) })),
  fc.tuple(fc.constantFrom("revoke", "suspend"), fc.boolean(), anyId, formPoison, ascii).map(([verb, real, id, bad, reason]): Act => {
    const fn = verb === "revoke" ? revokeEntitlementAction : suspendEntitlementAction;
    // The real entitlement only ever with a reason no form takes; an impossible id with any reason.
    return { name: `${verb}EntitlementAction`, as: "owner", run: () => fn(real ? fixture.entitlementId : id, null, form({ reason: real ? bad : reason })) };
  }),
  fc.tuple(fc.constantFrom(resumeEntitlementAction, convertTrialAction, reprovisionEntitlementAction), badId).map(([fn, id]): Act => ({ name: fn.name, as: "owner", run: () => fn(id) })),
  badId.map((id): Act => ({ name: "rotateAccessKeyAction (admin)", as: "owner", run: () => adminRotateAccessKeyAction(id) })),
  formWith(["label", "scope", "expiresAt"], { label: fc.constant("fuzz key") }).map((f): Act => ({ name: "createApiKeyAction", as: "owner", run: () => createApiKeyAction(null, form(f)) })),
  badDateForm.map((d): Act => ({ name: "createApiKeyAction (date)", as: "owner", run: () => createApiKeyAction(null, form({ label: "fuzz key", expiresAt: d })) })),
  badId.map((id): Act => ({ name: "revokeApiKeyAction", as: "owner", run: () => revokeApiKeyAction(id) })),
  formWith(["name", "slug", "description", "gracePeriodDays", "trialDays", "defaultTermDays", "renewalUrl"], { name: fc.constant("Fuzz product"), slug: fc.constant("fuzz-product") }).map(
    (f): Act => ({ name: "createProductAction", as: "owner", run: () => createProductAction(null, form(f)) }),
  ),
  fc.tuple(fc.boolean(), anyId, formWith(["gracePeriodDays", "trialDays", "defaultTermDays", "renewalUrl"], {})).map(
    ([real, id, f]): Act => ({ name: "setProductTermsAction", as: "owner", run: () => setProductTermsAction(real ? fixture.productId : id, null, form(f)) }),
  ),
  fc.tuple(fc.boolean(), anyId, formWith(["modes", "defaultMode"], { modes: fc.constant("OWN_ACCOUNT"), defaultMode: fc.constant("OWN_ACCOUNT") })).map(
    ([real, id, f]): Act => ({ name: "setAccessModesAction", as: "owner", run: () => setAccessModesAction(real ? fixture.productId : id, null, form(f)) }),
  ),
  fc.tuple(fc.boolean(), anyId, formPoison).map(([real, id, priceId]): Act => ({ name: "addStripePriceAction", as: "owner", run: () => addStripePriceAction(real ? fixture.productId : id, null, form({ priceId })) })),
  fc.tuple(badId, fc.oneof(badText, ascii)).map(([id, price]): Act => ({ name: "removeStripePriceAction", as: "owner", run: () => removeStripePriceAction(id, price) })),
  fc.tuple(fc.boolean(), anyId, formWith(["account", "region", "name"], { region: fc.constant("us-east-1"), name: fc.constant("fuzz/never-attached") })).map(
    ([real, id, f]): Act => ({ name: "attachRepositoryAction", as: "owner", run: () => attachRepositoryAction(real ? fixture.productId : id, null, form(f)) }),
  ),
  formWith(["email", "name", "role"], { email: fc.constant("fuzz-invitee@example.com"), role: fc.constant("VENDOR_VIEWER") }).map(
    (f): Act => ({ name: "inviteTeamMemberAction", as: "owner", run: () => inviteTeamMemberAction(null, form(f)) }),
  ),
  fc.tuple(fc.boolean(), anyId, formWith(["email", "name", "role"], { email: fc.constant("fuzz-invitee@example.com"), role: fc.constant("CUSTOMER_MEMBER") })).map(
    ([real, id, f]): Act => ({ name: "inviteCustomerUserAction", as: "owner", run: () => inviteCustomerUserAction(real ? fixture.customerId : id, null, form(f)) }),
  ),
  fc.tuple(badId, fc.oneof(formPoison, ascii)).map(([id, role]): Act => ({ name: "changeTeamRoleAction", as: "owner", run: () => changeTeamRoleAction(id, null, form({ role })) })),
  badId.map((id): Act => ({ name: "removeTeamMemberAction", as: "owner", run: () => removeTeamMemberAction(id) })),
  fc.tuple(fc.boolean(), anyId, badId).map(([real, customerId, userId]): Act => ({ name: "removeCustomerUserAction", as: "owner", run: () => removeCustomerUserAction(real ? fixture.customerId : customerId, userId) })),
  formWith(["url", "scope"], { url: fc.constant("https://hooks.example.com/fuzz") }).map((f): Act => ({ name: "createWebhookEndpointAction", as: "owner", run: () => createWebhookEndpointAction(null, form(f)) })),
  fc.tuple(fc.constantFrom(deleteWebhookEndpointAction, sendTestEventAction, retryDeliveryAction, cancelBulkOperationAction), badId).map(([fn, id]): Act => ({ name: fn.name, as: "owner", run: () => fn(id) })),
  fc.tuple(badId, fc.boolean()).map(([id, on]): Act => ({ name: "setWebhookEndpointEnabledAction", as: "owner", run: () => setWebhookEndpointEnabledAction(id, on) })),
  fc.oneof(formPoison, ascii).map((id): Act => ({ name: "retryDeadLetterAction", as: "owner", run: () => retryDeadLetterAction(null, form({ id })) })),
  formWith(["email", "name", "role"], { email: fc.constant("fuzz-colleague@example.com"), role: fc.constant("CUSTOMER_MEMBER") }).map(
    (f): Act => ({ name: "inviteTeamUserAction (portal)", as: "customer", run: () => inviteTeamUserAction(null, form(f)) }),
  ),
  // Single sign-on settings: with a clean issuer the provider is asked for (a closed loopback port
  // here), so every form must be refused for its poisoned field or for the provider, never saved.
  ssoForm.map((f): Act => ({ name: "saveTeamSsoAction", as: "owner", run: () => saveTeamSsoAction(null, form(f)) })),
  fc.tuple(fc.boolean(), anyId, ssoForm).map(([real, id, f]): Act => ({ name: "saveCustomerSsoAction", as: "owner", run: () => saveCustomerSsoAction(real ? fixture.customerId : id, null, form(f)) })),
  ssoForm.map((f): Act => ({ name: "saveTeamSsoAction (portal)", as: "customer", run: () => savePortalSsoAction(null, form(f)) })),
  fc.tuple(fc.boolean(), anyId, fc.oneof(formPoison, ascii)).map(([real, id, domain]): Act => ({ name: "verifyCustomerSsoDomainAction", as: "owner", run: () => verifyCustomerSsoDomainAction(real ? fixture.customerId : id, null, form({ domain })) })),
  fc.oneof(formPoison, ascii).map((on): Act => ({ name: "setTeamSsoOnlyAction", as: "owner", run: () => setTeamSsoOnlyAction(null, form({ ssoOnly: on })) })),
  // Keyless access: pull tokens and trusted workloads of the customer owner's organisation.
  formWith(["name", "expiresAt"], { name: fc.constant("fuzz token") }).map((f): Act => ({ name: "createPullTokenAction", as: "customer", run: () => createPullTokenAction(null, form(f)) })),
  badId.map((id): Act => ({ name: "revokePullTokenAction", as: "customer", run: () => revokePullTokenAction(id) })),
  formWith(["kind", "name", "issuer", "audience", "subject"], { kind: fc.constant("GITHUB_ACTIONS"), name: fc.constant("fuzz"), subject: fc.constant("repo:fuzz/deploy:*") }).map(
    (f): Act => ({ name: "registerWorkloadAction", as: "customer", run: () => registerWorkloadAction(null, form(f)) }),
  ),
  badId.map((id): Act => ({ name: "removeWorkloadAction", as: "customer", run: () => removeWorkloadAction(id) })),
  formWith(["name", "response"], { name: fc.constant("Fuzz key") }).map((f): Act => ({ name: "registerPasskeyAction", as: "customer", run: () => registerPasskeyAction(null, form(f)) })),
  fc.oneof(formPoison, ascii, badId).map((id): Act => ({ name: "removePasskeyAction", as: "customer", run: () => removePasskeyAction(null, form({ passkeyId: id })) })),
  fc.tuple(fc.constantFrom(revealSecretAction, retireAccessKeyAction), fc.oneof(formPoison, ascii)).map(
    ([fn, id]): Act => ({ name: `${fn.name} (portal)`, as: "customer", run: () => (fn as (p: null, f: FormData) => Promise<ActionResult<unknown>>)(null, form({ accessKeyId: id })) }),
  ),
);

describe("the server actions", () => {
  it(`answer ${RUNS.actions} malformed submissions with a form error, never the generic failure`, async () => {
    await fc.assert(
      fc.asyncProperty(actionCase, async (act) => {
        signInAs(act.as === "owner" ? fixture.owner : fixture.customerOwner);
        let outcome: string;
        try {
          const result = await act.run();
          outcome = result.ok ? "ok" : result.error === ERROR_CODES.INTERNAL.message ? "INTERNAL" : "refused";
        } catch (error) {
          // A redirect means it succeeded (and the state check will say what changed); anything else escaped.
          outcome = String((error as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT") ? "redirected" : "INTERNAL";
        }
        const ok = record(`action ${act.name}`, outcome, () => act.name);
        expect(ok, `${act.name} failed on our side`).toBe(true);
        // Nothing here may go through: refused, or at most an idempotent no-op on an id that names nothing.
        expect(["refused", "ok"], act.name).toContain(outcome);
      }),
      fcOptions(RUNS.actions),
    );
    expect(await protectedState()).toEqual(before);
  });
});

describe("all surfaces together", () => {
  it("sent at least 1,000 malformed requests, none answered 5xx, and nothing protected changed", async () => {
    const total = Object.values(figures).reduce((sum, t) => sum + t.cases, 0);
    const serverErrors = Object.values(figures).reduce((sum, t) => sum + t.serverErrors, 0);
    expect(total).toBeGreaterThanOrEqual(1_000);
    expect(serverErrors, JSON.stringify(Object.fromEntries(Object.entries(figures).filter(([, t]) => t.serverErrors > 0)))).toBe(0);
    expect(await protectedState()).toEqual(before);
  });
});
