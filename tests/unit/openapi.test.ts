import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET as serveDocument } from "@/app/api/v1/openapi.json/route";
import { openApiDocument } from "@/lib/api/openapi";
import { routeFileOf } from "../support/v1-client";

const V1_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** `entitlements/[id]/route.ts` → `/entitlements/{id}` */
const routeTemplates = () =>
  readdirSync(V1_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => `/${path.dirname(file).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}"));

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(openApiDocument));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("is checked by a validator that does refuse a broken document", async () => {
    const broken = { ...structuredClone(openApiDocument), paths: { "/x": { get: { responses: { 200: { content: 1 } } } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("describes every route file and exported method under app/api/v1, and nothing else", async () => {
    const served: string[] = [];
    for (const template of routeTemplates()) {
      const route = (await import(routeFileOf(template))) as Record<string, unknown>;
      for (const method of HTTP_METHODS.filter((m) => typeof route[m] === "function")) served.push(`${method} ${template}`);
    }
    const documented = Object.entries(openApiDocument.paths).flatMap(([template, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${template}`),
    );
    expect(served.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual(served.sort());
  });

  it("is served without an API key", async () => {
    const res = serveDocument();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
