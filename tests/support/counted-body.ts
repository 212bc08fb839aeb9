// Request bodies that arrive in pieces, as a chunked upload does, and record how much of them the
// server pulled and whether it cancelled the rest.

export type CountedBody = { stream: ReadableStream<Uint8Array>; seen: { pulled: number; cancelled: boolean } };

/** `chunks` handed out one per pull, nothing read ahead. */
export function countedBody(chunks: Iterable<Uint8Array>): CountedBody {
  const seen = { pulled: 0, cancelled: false };
  const pieces = chunks[Symbol.iterator]();
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = pieces.next();
        if (next.done) return controller.close();
        seen.pulled += next.value.byteLength;
        controller.enqueue(next.value);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

/** `totalBytes` of ASCII "a" in 64 KiB chunks, made as they are pulled. */
export function countedBytes(totalBytes: number, chunkBytes = 64 * 1024): CountedBody {
  return countedBody(
    (function* () {
      for (let sent = 0; sent < totalBytes; sent += chunkBytes) yield new Uint8Array(Math.min(chunkBytes, totalBytes - sent)).fill(0x61);
    })(),
  );
}

/** A POST carrying `body` with no Content-Length unless `headers` declares one (truthfully or not). */
export function streamedRequest(url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}
