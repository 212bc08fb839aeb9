import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

// Calls the v1 route handlers the way Next.js would, by the documented path, and checks every
// answer against the OpenAPI document: the status is documented for the operation, the body
// matches its schema, and the documented headers are present.

const V1_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");

/** `/entitlements/{id}` → `<app>/api/v1/entitlements/[id]/route.ts` */
export const routeFileOf = (template: string) => path.join(V1_DIR, template.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openApiDocument, "openapi");

type Operation = { responses: Record<string, { $ref?: string; headers?: Record<string, unknown> }> };
const pointer = (...segments: string[]) => segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

export function expectDocumented(template: string, method: string, status: number, headers: Headers, body: unknown) {
  const paths = openApiDocument.paths as Record<string, Record<string, Operation>>;
  const operation = paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const response = operation!.responses[String(status)];
  expect(response, `${method} ${template} documents status ${status}: ${JSON.stringify(body)}`).toBeDefined();
  const location = response!.$ref ? response!.$ref.slice(1) : `/${pointer("paths", template, method.toLowerCase(), "responses", String(status))}`;
  const validate = ajv.getSchema(`openapi#${location}/content/application~1json/schema`);
  expect(validate, `a schema at ${location}`).toBeDefined();
  expect(validate!(body) ? [] : validate!.errors, `${method} ${template} ${status} matches its schema`).toEqual([]);
  const resolved = (response!.$ref ? ajv.getSchema(`openapi#${location}`)?.schema : response) as { headers?: Record<string, unknown> };
  for (const name of Object.keys(resolved.headers ?? {}).filter((n) => n !== "Idempotent-Replayed")) {
    expect(headers.has(name), `${method} ${template} ${status} sends ${name}`).toBe(true);
  }
}

export type V1Call = {
  method?: "GET" | "POST";
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Sent as is; a stream goes without Content-Length, as a chunked upload does. */
  rawBody?: string | ReadableStream<Uint8Array>;
  /** An API key; null sends no Authorization header. */
  auth?: string | null;
  headers?: Record<string, string>;
};

export type V1Answer = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A caller of the v1 API with `key()` as its default API key. */
export function v1Client(key: () => string) {
  return async (template: string, init: V1Call = {}): Promise<V1Answer> => {
    const method = init.method ?? "GET";
    const params = init.params ?? {};
    const url = new URL(`http://localhost/api/v1${template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""))}`);
    for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
    if (init.auth !== null) headers.authorization = `Bearer ${init.auth ?? key()}`;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const route = (await import(routeFileOf(template))) as Record<string, (req: Request, c: { params: Promise<unknown> }) => Promise<Response>>;
    const handler = route[method];
    expect(handler, `${routeFileOf(template)} exports ${method}`).toBeDefined();
    const res = await handler!(new Request(url, { method, headers, body, duplex: "half" } as RequestInit), { params: Promise.resolve(params) });
    const json: unknown = await res.json();
    expectDocumented(template, method, res.status, res.headers, json);
    return { status: res.status, headers: res.headers, body: json };
  };
}
