import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readBoundedText } from "@/lib/http/bounded-body";
import { countedBody, countedBytes, streamedRequest } from "../support/counted-body";

const LIMIT = 1_000;
const URL = "http://localhost/upload";
const bytes = (...values: number[]) => new Uint8Array(values);

async function refused(read: Promise<string>) {
  const error: unknown = await read.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readBoundedText", () => {
  it("reads a body of exactly the limit, with or without Content-Length", async () => {
    const body = "a".repeat(LIMIT);
    expect(await readBoundedText(new Request(URL, { method: "POST", body }), LIMIT)).toBe(body);
    expect(await readBoundedText(streamedRequest(URL, countedBytes(LIMIT, 300).stream), LIMIT)).toBe(body);
  });

  it("refuses a declared length one byte over the limit without reading any of it", async () => {
    const { stream, seen } = countedBytes(LIMIT + 1);
    const error = await refused(readBoundedText(streamedRequest(URL, stream, { "content-length": String(LIMIT + 1) }), LIMIT));
    expect({ code: error.code, status: error.status }).toEqual({ code: "PAYLOAD_TOO_LARGE", status: 413 });
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });

  it("counts a chunked body without Content-Length and cancels it at the chunk that passes the limit", async () => {
    const { stream, seen } = countedBytes(2_000_000, 300);
    const error = await refused(readBoundedText(streamedRequest(URL, stream), LIMIT));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(seen).toEqual({ pulled: 1_200, cancelled: true });
  });

  it("refuses one byte over the limit sent in pieces", async () => {
    const { stream, seen } = countedBytes(LIMIT + 1, 300);
    expect((await refused(readBoundedText(streamedRequest(URL, stream), LIMIT))).code).toBe("PAYLOAD_TOO_LARGE");
    expect(seen.cancelled).toBe(true);
  });

  it("counts the bytes that arrive, not the Content-Length a client claims", async () => {
    const { stream, seen } = countedBytes(50_000, 300);
    const error = await refused(readBoundedText(streamedRequest(URL, stream, { "content-length": "10" }), LIMIT));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(seen).toEqual({ pulled: 1_200, cancelled: true });
  });

  it("refuses bytes that are not UTF-8 with a 400 instead of replacing them", async () => {
    for (const chunks of [[bytes(0x7b, 0xff, 0x7d)], [bytes(0xc3)], [bytes(0xed, 0xa0, 0x80)]]) {
      const { stream, seen } = countedBody(chunks);
      const error = await refused(readBoundedText(streamedRequest(URL, stream), LIMIT));
      expect({ code: error.code, status: error.status }).toEqual({ code: "MALFORMED_BODY", status: 400 });
      expect(seen.pulled).toBeLessThanOrEqual(3);
    }
  });

  it("decodes a character split across chunks", async () => {
    const { stream } = countedBody([bytes(0x22, 0xc3), bytes(0xa9, 0xe2, 0x82), bytes(0xac, 0x22)]);
    expect(await readBoundedText(streamedRequest(URL, stream), LIMIT)).toBe('"é€"');
  });

  it("reads an uploaded file by the same rules, with the caller's words for too large", async () => {
    expect(await readBoundedText(new Blob(["email\na@example.com"]), LIMIT)).toBe("email\na@example.com");
    const error = await refused(readBoundedText(new Blob(["a".repeat(LIMIT + 1)]), LIMIT, "The file is too large"));
    expect({ code: error.code, message: error.message }).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The file is too large" });
    expect((await refused(readBoundedText(new Blob([bytes(0xff)]), LIMIT))).code).toBe("MALFORMED_BODY");
  });

  it("reads no body as empty text", async () => {
    expect(await readBoundedText(new Request(URL), LIMIT)).toBe("");
  });
});
