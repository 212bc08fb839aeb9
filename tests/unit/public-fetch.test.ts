// The fetch the portal uses for servers someone else names (identity providers): public addresses
// only, redirects returned rather than followed, answers bounded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressNotAllowed, publicFetch } from "@/lib/http/public-fetch";

let base: string;
const server = createServer((request, response) => {
  if (request.url === "/redirect") return void response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
  if (request.url === "/large") return void response.end("x".repeat(64 * 1024));
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString()));
  request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: request.method, body })));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const local = publicFetch({ allowedHosts: ["127.0.0.1"], timeoutMs: 5000, maxBytes: 16 * 1024 });

describe("publicFetch", () => {
  it("refuses a loopback, private or metadata address unless the host is allowed, before connecting", async () => {
    const strict = publicFetch({ allowedHosts: [], timeoutMs: 5000, maxBytes: 1024 });
    await expect(strict(`${base}/x`)).rejects.toBeInstanceOf(AddressNotAllowed);
    const internal = publicFetch({ allowedHosts: [], timeoutMs: 5000, maxBytes: 1024, resolve: async () => [{ address: "10.1.2.3", family: 4 }] });
    await expect(internal("https://idp.example.com/.well-known/openid-configuration")).rejects.toMatchObject({ detail: "idp.example.com resolves to 10.1.2.3 (private)" });
  });

  it("sends the method, headers and form body, and answers like fetch", async () => {
    const response = await local(`${base}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ code: "abc" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ method: "POST", body: "code=abc" });
  });

  it("returns a redirect as it is, never following it", async () => {
    const response = await local(`${base}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("169.254.169.254");
  });

  it("stops reading an answer past its limit", async () => {
    await expect(local(`${base}/large`)).rejects.toThrow("answer larger than 16384 bytes");
  });
});
