import { AppError } from "@/lib/errors";

type Source = Request | Blob;

/**
 * The bytes of a request body or an uploaded file, refused with PAYLOAD_TOO_LARGE past
 * `limitBytes`: at once when its declared length (Content-Length, a file's size) is larger, and
 * otherwise as the bytes arrive, so a chunked body or one that lies about its length is never held
 * beyond the limit. Either way the stream is cancelled rather than read on.
 */
export async function readBoundedBytes(source: Source, limitBytes: number, tooLarge = tooLargeMessage(limitBytes)): Promise<Uint8Array<ArrayBuffer>> {
  const declared = source instanceof Blob ? source.size : Number(source.headers.get("content-length"));
  const stream = source instanceof Blob ? source.stream() : source.body;
  if (declared > limitBytes) {
    await stream?.cancel();
    throw new AppError("PAYLOAD_TOO_LARGE", tooLarge);
  }
  if (!stream) return new Uint8Array();

  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    received += chunk.value.byteLength;
    if (received > limitBytes) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", tooLarge);
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The text of a bounded body (readBoundedBytes). Bytes that are not UTF-8 are MALFORMED_BODY, not
 * replaced, so what is verified or stored is what was sent.
 */
export async function readBoundedText(source: Source, limitBytes: number, tooLarge = tooLargeMessage(limitBytes)): Promise<string> {
  const bytes = await readBoundedBytes(source, limitBytes, tooLarge);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("MALFORMED_BODY");
  }
}

const tooLargeMessage = (limitBytes: number) => `The body is larger than ${limitBytes.toLocaleString("en-US")} bytes`;
