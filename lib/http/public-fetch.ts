import type { LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { checkedAddresses, pinnedLookup, urlHost, type Resolve } from "./outbound-address";

type FetchInit = { method?: string; headers?: Record<string, string>; body?: string | URLSearchParams | ArrayBuffer | Uint8Array | ReadableStream | null; signal?: AbortSignal | null };

/** Why a request was not sent: its host is not public. Says nothing of the address to whoever sees it. */
export class AddressNotAllowed extends Error {
  constructor(readonly detail: string) {
    super("address not allowed");
  }
}

const NO_BODY = new Set([204, 205, 304]);

/**
 * A fetch for servers someone else names (an identity provider's issuer, say): it reaches only
 * public addresses (the host is resolved once, every address checked, and the connection goes to
 * those very addresses), never follows a redirect, gives up after `timeoutMs` and reads at most
 * `maxBytes` of an answer. Hosts on `allowedHosts` may be anything, over plain http too.
 */
export function publicFetch({ allowedHosts, timeoutMs, maxBytes, resolve }: { allowedHosts: string[]; timeoutMs: number; maxBytes: number; resolve?: Resolve }) {
  return async (input: string, init: FetchInit = {}): Promise<Response> => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const url = new URL(input);
    const { addresses, refused } = await checkedAddresses(urlHost(url), { allowedHosts, resolve, signal });
    if (refused !== null) throw new AddressNotAllowed(refused);
    const response = await send(url, addresses, init, signal);
    const body = await readBounded(response, maxBytes);
    const status = response.statusCode ?? 502;
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    return new Response(NO_BODY.has(status) ? null : body, { status, headers });
  };
}

function send(url: URL, addresses: LookupAddress[], init: FetchInit, signal: AbortSignal) {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const body = bodyBytes(init.body);
  const headers = { ...init.headers, ...(body === undefined ? {} : { "content-length": String(body.length) }) };
  return new Promise<IncomingMessage>((resolve, reject) => {
    // No shared agent: a pooled socket would be one connected for another check.
    const outgoing = request(url, { method: init.method ?? "GET", headers, agent: false, signal, lookup: pinnedLookup(addresses) }, resolve);
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function bodyBytes(body: FetchInit["body"]): Buffer | undefined {
  if (body == null) return undefined;
  if (typeof body === "string" || body instanceof URLSearchParams) return Buffer.from(String(body));
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return Buffer.from(body as ArrayBuffer);
  // Requests here are small forms; a stream would have to be read whole first.
  throw new Error("a streamed request body is not supported");
}

async function readBounded(response: IncomingMessage, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.destroy();
      throw new Error(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
