import { z } from "zod";
import { convertInputSchema } from "@/lib/entitlements/convert-trial";
import { extendInputSchema } from "@/lib/entitlements/extend-entitlement";
import { grantInputSchema } from "@/lib/entitlements/grant-input";
import { reasonInputSchema } from "@/lib/entitlements/reason-input";
import { APP_ERROR_CODES } from "@/lib/errors";
import { EntitlementKind, EntitlementSource, EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@/lib/paging/cursor-page";
import { MAX_API_BODY_BYTES } from "./api-route";
import { IDEMPOTENCY_KEY_HOURS } from "./idempotency";
import { MAX_REGISTRY_REQUEST_BYTES, registryCredentialsRequestSchema } from "./registry-credentials-route";

// The v1 API described as OpenAPI 3.1. Request bodies are generated from the zod schemas the
// use cases parse with; response schemas are written here and closed (no additional
// properties), and the tests validate real responses against them, so neither side can drift.
// Adding a route: add its operation under `paths` (the tests fail until every route file and
// method is described).

type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema) => ({ ...schema, type: [schema.type, "null"] });
const dateTime = { type: "string", format: "date-time" };
const text = { type: "string" };
const integer = { type: "integer" };
const values = (e: Record<string, string>) => ({ type: "string", enum: Object.values(e) });
const closed = (properties: Record<string, Schema>) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});
// The document's dialect is 2020-12 already, so the generated `$schema` is left out.
const fromZod = (schema: z.ZodType) => Object.fromEntries(Object.entries(z.toJSONSchema(schema, { io: "input" })).filter(([k]) => k !== "$schema"));
const pageOf = (item: string) =>
  closed({ data: { type: "array", items: ref(item) }, nextCursor: { ...nullable(text), description: "Pass as `cursor` for the next page; null on the last one" } });

const displayState = {
  type: "string",
  enum: ["scheduled", "provisioning", "active", "grace", "failed", "suspended", "revoking", "expired", "revoked"],
  description: "How the entitlement reads now: its status, dates, grace period and provisioning together",
};

const schemas = {
  RegistryCredentialsInput: fromZod(registryCredentialsRequestSchema),
  RegistryCredentials: closed({
    credentials: {
      type: "array",
      description: "One per registry the token's organisation may pull from (or the one asked for; none for a registry it has nothing in)",
      items: closed({
        registry: { ...text, description: "The registry host, as `docker login` and image names take it" },
        username: text,
        password: { ...text, description: "A registry token: valid until `expiresAt`, at most one hour" },
        expiresAt: dateTime,
      }),
    },
  }),
  Error: closed({
    error: {
      type: "object",
      properties: {
        code: { type: "string", enum: APP_ERROR_CODES },
        message: text,
        details: { description: "For invalid input, one entry per problem: `[{ path, message }]`" },
      },
      required: ["code", "message"],
      additionalProperties: false,
    },
  }),
  Entitlement: closed({
    id: text,
    status: values(EntitlementStatus),
    state: displayState,
    provisioning: closed({ status: values(SyncStatus), error: nullable(text), syncedAt: nullable(dateTime) }),
    product: { ...text, description: "The product's slug" },
    customer: closed({ id: text, name: text, email: { ...nullable(text), description: "The customer owner's email" } }),
    kind: values(EntitlementKind),
    source: values(EntitlementSource),
    externalRef: nullable(text),
    startsAt: dateTime,
    expiresAt: dateTime,
    accessEndsAt: { ...dateTime, description: "When pulls stop: the expiry plus the product's grace period" },
    endedAt: nullable(dateTime),
    iamUserArn: nullable(text),
    createdAt: dateTime,
  }),
  Customer: closed({
    id: text,
    name: text,
    emails: { type: "array", items: text, description: "Its users' emails, oldest user first" },
    iamUserArn: { ...nullable(text), description: "The customer's IAM user, while it has one" },
    keyAccess: { type: "boolean", description: "Whether Pullgate issues the customer an IAM user and access key" },
    entitlements: {
      type: "array",
      items: closed({ id: text, product: text, status: values(EntitlementStatus), state: displayState, expiresAt: dateTime }),
    },
    createdAt: dateTime,
  }),
  Product: closed({
    slug: text,
    name: text,
    description: nullable(text),
    gracePeriodDays: { ...integer, description: "Access continues this many days past expiry" },
    trialDays: integer,
    defaultTermDays: integer,
    renewalUrl: nullable(text),
    repositories: { type: "array", items: closed({ name: text, region: text, accountId: text, uri: text }) },
    createdAt: dateTime,
  }),
  EntitlementPage: pageOf("Entitlement"),
  CustomerPage: pageOf("Customer"),
  ProductPage: pageOf("Product"),
  GrantInput: fromZod(grantInputSchema),
  ExtendInput: fromZod(extendInputSchema),
  ConvertInput: fromZod(convertInputSchema),
  ReasonInput: fromZod(reasonInputSchema),
  EmptyInput: closed({}),
};

const header = (description: string) => ({ description, schema: integer });
const headers = {
  "RateLimit-Limit": header("Requests this API key may make per minute"),
  "RateLimit-Remaining": header("Requests left in the current window"),
  "RateLimit-Reset": header("Seconds until the window resets"),
  "Retry-After": header("Seconds to wait before retrying"),
  "Idempotent-Replayed": { description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key", schema: { type: "string", enum: ["true"] } },
};
const headerRefs = (...names: (keyof typeof headers)[]) => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));
const rateLimited = headerRefs("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");

const json = (schema: Schema) => ({ content: { "application/json": { schema } } });
const answer = (description: string, schema: Schema, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: { ...rateLimited, ...extraHeaders },
  ...json(schema),
});
const failure = (description: string, extraHeaders: Record<string, unknown> = {}) => answer(description, ref("Error"), extraHeaders);

const responses = {
  Unauthenticated: {
    description: "No valid API key",
    headers: { "WWW-Authenticate": { schema: { type: "string", enum: ["Bearer"] } } },
    ...json(ref("Error")),
  },
  NotFound: failure("No such resource"),
  InvalidInput: failure("Invalid input (a parameter, the body, a cursor, or an Idempotency-Key reused for a different request)"),
  MalformedBody: failure("The body is not UTF-8 text"),
  PayloadTooLarge: failure(`The body is larger than ${MAX_API_BODY_BYTES.toLocaleString("en-US")} bytes; it is not read further`),
  Conflict: failure("The request conflicts with the resource's state, or a request with the same Idempotency-Key is still in progress"),
  RateLimited: failure("Too many requests with this API key this minute", headerRefs("Retry-After")),
  InsufficientScope: failure("The API key is read-only (`INSUFFICIENT_SCOPE`); nothing was changed"),
  Unexpected: { description: "A server error (not stored for idempotency: retrying with the same key runs the request again)", ...json(ref("Error")) },
};
const optionalErrors = { MalformedBody: 400, InsufficientScope: 403, NotFound: 404, Conflict: 409, PayloadTooLarge: 413 };
const errors = (...names: (keyof typeof optionalErrors)[]) => ({
  401: { $ref: "#/components/responses/Unauthenticated" },
  422: { $ref: "#/components/responses/InvalidInput" },
  429: { $ref: "#/components/responses/RateLimited" },
  default: { $ref: "#/components/responses/Unexpected" },
  ...Object.fromEntries(names.map((n) => [optionalErrors[n], { $ref: `#/components/responses/${n}` }])),
});

const param = (name: string, where: "path" | "query", description: string, schema: Schema = text) => ({
  name,
  in: where,
  required: where === "path",
  description,
  schema,
});
const pageParams = [
  param("limit", "query", "Items per page", { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT }),
  param("cursor", "query", "The `nextCursor` of the previous page (opaque)"),
];
const entitlementId = param("id", "path", "The entitlement's id");

const list = (summary: string, page: string, filters: unknown[] = []) => ({
  get: { summary, parameters: [...filters, ...pageParams], responses: { 200: answer("One page, oldest first", ref(page)), ...errors() } },
});
const show = (summary: string, schema: string, id: unknown) => ({
  get: { summary, parameters: [id], responses: { 200: answer(summary, ref(schema)), ...errors("NotFound") } },
});
const post = (summary: string, body: { schema: string; required: boolean }, ok: Record<number, unknown>, parameters: unknown[] = []) => ({
  summary,
  parameters: [...parameters, { $ref: "#/components/parameters/IdempotencyKey" }],
  requestBody: { required: body.required, ...json(ref(body.schema)) },
  responses: { ...ok, ...errors("InsufficientScope", "NotFound", "Conflict", "MalformedBody", "PayloadTooLarge") },
});
const replayable = headerRefs("Idempotent-Replayed");
const entitlementAction = (summary: string, schema: string, required = false) => ({
  post: post(summary, { schema, required }, { 200: answer("The entitlement as it now is", ref("Entitlement"), replayable) }, [entitlementId]),
});

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Pullgate API",
    version: "1.0.0",
    description:
      "Grant customers pull access to Amazon ECR repositories.\n\n" +
      "**Authentication**: `Authorization: Bearer pgk_...` (API keys are created on the admin's API keys page). A key is read-only (GET only; anything else is a 403 `INSUFFICIENT_SCOPE`) or read-write, and may have an expiry, after which it is a 401 like a revoked key.\n\n" +
      `**Idempotency**: every POST accepts an \`Idempotency-Key\` header. A repeat with the same key and the same request gets the first answer again (\`Idempotent-Replayed: true\`), for ${IDEMPOTENCY_KEY_HOURS} hours, per API key. The same key with a different request is a 422; while the first request is still running, a 409. Server errors are not kept, so retrying with the same key runs the request again.\n\n` +
      "**Rate limit**: requests per minute per API key; every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and a 429 carries `Retry-After`.\n\n" +
      `**Bodies**: UTF-8 JSON of at most ${MAX_API_BODY_BYTES.toLocaleString("en-US")} bytes, chunked or not; a larger body is a 413, read no further, and bytes that are not UTF-8 a 400.\n\n` +
      "**Pagination**: lists return `{ data, nextCursor }`, oldest first; pass `nextCursor` back as `cursor` until it is null.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ apiKey: [] }],
  paths: {
    "/entitlements": {
      ...list("List entitlements", "EntitlementPage", [
        param("customerId", "query", "Only this customer's"),
        param("product", "query", "Only this product's (its slug)"),
        param("status", "query", "Only entitlements in this status", values(EntitlementStatus)),
      ]),
      post: post(
        "Grant an entitlement (creates the customer by email if new). Idempotent by `externalRef` too: the same purchase (same customer and product) answers 200 with the existing entitlement; the same `externalRef` for another customer or product is a 409",
        { schema: "GrantInput", required: true },
        { 201: answer("Granted", ref("Entitlement"), replayable), 200: answer("Already granted for this externalRef", ref("Entitlement"), replayable) },
      ),
    },
    "/entitlements/{id}": show("Show an entitlement", "Entitlement", entitlementId),
    "/entitlements/{id}/extend": entitlementAction("Move the expiry later (revives an expired entitlement)", "ExtendInput", true),
    "/entitlements/{id}/convert": entitlementAction(
      "Convert a running trial into a paid entitlement in place (same credentials, no AWS change); without expiresAt it runs for the product's default term",
      "ConvertInput",
    ),
    "/entitlements/{id}/suspend": entitlementAction("Suspend access, keeping the customer's credentials (a repeat changes nothing)", "ReasonInput"),
    "/entitlements/{id}/resume": entitlementAction("Resume a suspended entitlement (a repeat changes nothing)", "EmptyInput"),
    "/entitlements/{id}/revoke": entitlementAction("End an entitlement now (a repeat changes nothing)", "ReasonInput"),
    "/customers": list("List customers", "CustomerPage", [param("email", "query", "Only the customer with a user of this email")]),
    "/customers/{id}": show("Show a customer", "Customer", param("id", "path", "The customer's id")),
    "/products": list("List products", "ProductPage"),
    "/products/{slug}": show("Show a product", "Product", param("slug", "path", "The product's slug")),
    "/registry/credentials": {
      post: {
        summary:
          "Exchange a pull token for short-lived registry credentials (what docker-credential-pullgate asks). No Idempotency-Key: each answer is the current one, kept until shortly before it expires",
        security: [{ pullToken: [] }],
        requestBody: { required: false, ...json(ref("RegistryCredentialsInput")) },
        responses: {
          200: answer("Registry credentials", ref("RegistryCredentials")),
          403: failure("The token's organisation holds no active entitlement"),
          413: failure(`The body is larger than ${MAX_REGISTRY_REQUEST_BYTES.toLocaleString("en-US")} bytes`),
          ...errors(),
        },
      },
    },
    "/openapi.json": {
      get: { summary: "This document", security: [], responses: { 200: { description: "The OpenAPI document", ...json({ type: "object" }) } } },
    },
  },
  components: {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "A Pullgate API key, `pgk_...`" },
      pullToken: { type: "http", scheme: "bearer", description: "A customer's pull token, `pgp_...` (made on the portal's Pull tokens page)" },
    },
    parameters: {
      IdempotencyKey: {
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: `Makes a retry safe: 1–255 printable ASCII characters, unique per request, kept ${IDEMPOTENCY_KEY_HOURS} hours`,
        schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" },
      },
    },
    headers,
    responses,
    schemas,
  },
};
