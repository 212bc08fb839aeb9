// Outgoing webhook requests against local servers: where they may connect, that the connection
// goes to the address that was checked, and what a failure says.
import type { LookupAddress } from "node:dns";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sendWebhookRequest, type Resolve } from "@/lib/webhooks/webhook-request";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server on a loopback port that counts the connections it gets and keeps each request's headers. */
async function localServer(answer: (response: ServerResponse) => void = (response) => response.writeHead(200).end()) {
  const state = { connections: 0, requests: [] as IncomingHttpHeaders[] };
  const server = createServer((request, response) => {
    state.requests.push(request.headers);
    request.resume();
    answer(response);
  });
  server.on("connection", () => (state.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });
  return { state, port: (server.address() as AddressInfo).port, server };
}

/** A resolver that gives each of `answers` in turn, then the last again, and counts the questions. */
function resolver(...answers: string[][]) {
  return vi.fn<Resolve>(async () => (answers.length > 1 ? answers.shift()! : answers[0]!).map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })));
}

const request = (url: string) => ({ url, headers: { "Content-Type": "application/json", "Pullgate-Signature": "t=1,v1=ab" }, body: '{"id":"e1"}' });

describe("sendWebhookRequest", () => {
  it("resolves once and connects to the address it checked, whatever DNS answers next", async () => {
    const inside = await localServer();
    const resolve = resolver(["93.184.215.14"], ["127.0.0.1"]);
    const answer = await sendWebhookRequest(request(`http://hooks.example.com:${inside.port}/h`), { timeoutMs: 500, allowedHosts: [], resolve });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith("hooks.example.com");
    // It went to the public address (unreachable from here), never to the loopback one.
    expect(inside.state.connections).toBe(0);
    expect(answer).toMatchObject({ httpStatus: null, error: expect.stringMatching(/^(could not connect|timed out)$/) });
  });

  it("pins an allowed host to its first answer, keeping its name in the Host header and the headers given", async () => {
    const receiver = await localServer();
    // The name exists nowhere but in this resolver: only the pinned address can have been used.
    const resolve = resolver(["127.0.0.1"], ["10.9.9.9"]);
    const answer = await sendWebhookRequest(request(`http://receiver.test:${receiver.port}/h`), { timeoutMs: 2000, allowedHosts: ["receiver.test"], resolve });
    expect(answer).toEqual({ httpStatus: 200, error: null, detail: null });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(receiver.state.requests).toHaveLength(1);
    expect(receiver.state.requests[0]).toMatchObject({ host: `receiver.test:${receiver.port}`, "pullgate-signature": "t=1,v1=ab", "content-length": "11" });
  });

  it.each([
    ["a name resolving to loopback", ["127.0.0.1"]],
    ["a name with one private address among public ones", ["93.184.215.14", "10.0.0.7"]],
    ["a name resolving to the IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
    ["a name resolving to the metadata address", ["169.254.169.254"]],
    ["a name resolving to nothing", []],
  ])("refuses %s without connecting", async (_label, addresses) => {
    const inside = await localServer();
    const answer = await sendWebhookRequest(request(`http://hooks.example.com:${inside.port}/h`), { timeoutMs: 2000, allowedHosts: [], resolve: resolver(addresses) });
    expect(answer).toMatchObject({ httpStatus: null, error: "address not allowed" });
    expect(inside.state.connections).toBe(0);
  });

  it.each(["http://127.0.0.1", "http://2130706433", "http://0x7f.1", "http://[::ffff:7f00:1]", "http://[::ffff:127.0.0.1]", "http://127.1"])(
    "refuses the literal %s without resolving or connecting",
    async (origin) => {
      const inside = await localServer();
      const resolve = resolver(["93.184.215.14"]);
      const answer = await sendWebhookRequest(request(`${origin}:${inside.port}/h`), { timeoutMs: 2000, allowedHosts: ["localhost"], resolve });
      expect(answer).toMatchObject({ httpStatus: null, error: "address not allowed" });
      expect(resolve).not.toHaveBeenCalled();
      expect(inside.state.connections).toBe(0);
    },
  );

  it("reaches a literal address the operator allowed by its exact name only", async () => {
    const receiver = await localServer();
    const sent = (origin: string) => sendWebhookRequest(request(`${origin}:${receiver.port}/h`), { timeoutMs: 2000, allowedHosts: ["127.0.0.1"], resolve: resolver([]) });
    expect(await sent("http://127.0.0.1")).toMatchObject({ httpStatus: 200, error: null });
    expect(await sent("http://localhost")).toMatchObject({ error: "address not allowed" });
    expect(receiver.state.requests).toHaveLength(1);
  });

  it("does not follow a redirect", async () => {
    const target = await localServer();
    const redirector = await localServer((response) => response.writeHead(307, { Location: `http://127.0.0.1:${target.port}/h` }).end());
    const answer = await sendWebhookRequest(request(`http://127.0.0.1:${redirector.port}/h`), { timeoutMs: 2000, allowedHosts: ["127.0.0.1"] });
    expect(answer).toEqual({ httpStatus: 307, error: "redirect not followed", detail: null });
    expect(redirector.state.requests).toHaveLength(1);
    expect(target.state.connections).toBe(0);
  });

  it("names an error answer by its status alone", async () => {
    const receiver = await localServer((response) => response.writeHead(503).end("upstream db-7.internal:5432 refused"));
    const answer = await sendWebhookRequest(request(`http://127.0.0.1:${receiver.port}/h`), { timeoutMs: 2000, allowedHosts: ["127.0.0.1"] });
    expect(answer).toEqual({ httpStatus: 503, error: "HTTP 503", detail: null });
  });

  it("says only that it could not connect, keeping the system's error for the log", async () => {
    const closed = await localServer();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const answer = await sendWebhookRequest(request(`http://127.0.0.1:${closed.port}/h`), { timeoutMs: 2000, allowedHosts: ["127.0.0.1"] });
    expect(answer).toMatchObject({ httpStatus: null, error: "could not connect", detail: expect.stringContaining("ECONNREFUSED") });
  });

  it("times out on a receiver that never answers, and on a resolver that never does", async () => {
    const silent = await localServer(() => undefined);
    const started = Date.now();
    expect(await sendWebhookRequest(request(`http://127.0.0.1:${silent.port}/h`), { timeoutMs: 200, allowedHosts: ["127.0.0.1"] })).toMatchObject({
      httpStatus: null,
      error: "timed out",
    });
    const hanging: Resolve = () => new Promise(() => undefined);
    expect(await sendWebhookRequest(request("https://hooks.example.com/h"), { timeoutMs: 200, allowedHosts: [], resolve: hanging })).toMatchObject({ error: "timed out" });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
