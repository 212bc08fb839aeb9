import { AppError } from "@/lib/errors";

/**
 * The text of a request body or an uploaded file, refused with PAYLOAD_TOO_LARGE past
 * `limitBytes`: at once when its declared length (Content-Length, a file's size) is larger, and
 * otherwise as the bytes arrive, so a chunked body or one that lies about its length is never held
 * beyond the limit. Either way the stream is cancelled rather than read on. Bytes that are not
 * UTF-8 are MALFORMED_BODY, not replaced, so what is verified or stored is what was sent.
 */
export async function readBoundedText(source: Request | Blob, limitBytes: number, tooLarge = `The body is larger than ${limitBytes.toLocaleString("en-US")} bytes`): Promise<string> {
  const declared = source instanceof Blob ? source.size : Number(source.headers.get("content-length"));
  const stream = source instanceof Blob ? source.stream() : source.body;
  if (declared > limitBytes) {
    await stream?.cancel();
    throw new AppError("PAYLOAD_TOO_LARGE", tooLarge);
  }
  if (!stream) return "";

  const reader = stream.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let received = 0;
  let text = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    received += chunk.value.byteLength;
    if (received > limitBytes) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", tooLarge);
    }
    text += decodeOrCancel(() => decoder.decode(chunk.value, { stream: true }), reader);
  }
  return text + decodeOrCancel(() => decoder.decode(), reader);
}

function decodeOrCancel(decode: () => string, reader: ReadableStreamDefaultReader<Uint8Array>): string {
  try {
    return decode();
  } catch {
    // A fatal TextDecoder throws only on invalid UTF-8; the rest of the body is not wanted.
    void reader.cancel();
    throw new AppError("MALFORMED_BODY");
  }
}
