// Server actions' bodies are held to 1 MB by the proxy, with a 413 counted as the bytes arrive:
// Next's own limit answers a 500.
import { NextRequest } from "next/server";
import type { NextFetchEvent } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import proxy from "@/proxy";
import { closePools } from "../support/close-pools";
import { countedBytes } from "../support/counted-body";

afterAll(closePools);

const event = {} as NextFetchEvent;
const post = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new NextRequest(`http://localhost:3000${path}`, { method: "POST", headers: { "next-action": "0123abcd", ...headers }, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);

describe("a server action's body", () => {
  it("is answered 413 past 1 MB, chunked, after reading at most 1 MB and a chunk of it", async () => {
    const { stream, seen } = countedBytes(2_000_000);
    const res = await proxy(post("/login", stream, { "content-type": "text/plain;charset=UTF-8" }), event);
    expect(res?.status).toBe(413);
    expect(await res?.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "The form is larger than 1 MB" } });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(1_000_000 + 64 * 1024);
  });

  it("is refused unread when it declares more than 1 MB, and a form without JavaScript is held alike", async () => {
    const declared = countedBytes(2_000_000);
    const res = await proxy(post("/portal/team", declared.stream, { "content-length": "2000000" }), event);
    expect(res?.status).toBe(413);
    expect(declared.seen.pulled).toBe(0);

    const plain = countedBytes(2_000_000);
    const req = new NextRequest("http://localhost:3000/login", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: plain.stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    expect((await proxy(req, event))?.status).toBe(413);
  });

  it("passes within the limit", async () => {
    const { stream } = countedBytes(900_000);
    const res = await proxy(post("/login", stream), event);
    expect(res?.status).not.toBe(413);
    expect(res?.status).toBeLessThan(400);
  });
});
