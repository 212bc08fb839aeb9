import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { restrictedRange } from "./public-address";

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export type WebhookRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * `error` is what the vendor sees and what is stored: a category only ("could not connect"), never
 * an address or a system error, so failures reveal nothing of the network behind the portal.
 * `detail` is for the operator's log.
 */
export type WebhookAnswer = { httpStatus: number | null; error: string | null; detail: string | null };

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A URL's host as DNS and the allowed list know it: IPv6 without its brackets. */
export const urlHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Hosts the operator lets webhooks reach whatever they resolve to, over plain http too. */
export const isAllowedHost = (host: string, allowedHosts = env().PULLGATE_WEBHOOK_ALLOWED_HOSTS) => allowedHosts.includes(host);

/**
 * One POST that reaches only public addresses: the host is resolved once, every address it
 * resolves to is checked, and the connection goes to those very addresses (a second DNS answer
 * cannot point it inside). Redirects are never followed. `timeoutMs` bounds the whole exchange,
 * resolution included.
 */
export async function sendWebhookRequest(
  request: WebhookRequest,
  { timeoutMs, allowedHosts, resolve = systemResolve }: { timeoutMs: number; allowedHosts?: string[]; resolve?: Resolve },
): Promise<WebhookAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(request.url);
    const host = urlHost(url);
    const version = isIP(host);
    const addresses = version ? [{ address: host, family: version }] : await Promise.race([resolve(host), aborted(signal)]);
    const refused = isAllowedHost(host, allowedHosts) ? undefined : addresses.find((a) => restrictedRange(a.address));
    if (refused || addresses.length === 0) {
      const detail = refused ? `${host} resolves to ${refused.address} (${restrictedRange(refused.address)})` : `${host} resolves to no address`;
      return { httpStatus: null, error: "address not allowed", detail };
    }
    const httpStatus = await post(url, addresses, request, signal);
    if (httpStatus >= 200 && httpStatus < 300) return { httpStatus, error: null, detail: null };
    const redirect = httpStatus >= 300 && httpStatus < 400;
    return { httpStatus, error: redirect ? "redirect not followed" : `HTTP ${httpStatus}`, detail: null };
  } catch (error) {
    return { httpStatus: null, error: signal.aborted ? "timed out" : "could not connect", detail: error instanceof Error ? error.message : String(error) };
  }
}

function post(url: URL, addresses: LookupAddress[], { headers, body }: WebhookRequest, signal: AbortSignal) {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    // No shared agent: a pooled socket would be one connected for another check. The host name
    // stays the URL's, so TLS verifies the certificate (and sends SNI) for it.
    const outgoing = send(
      url,
      { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, agent: false, signal, lookup: pinnedLookup(addresses) },
      (response) => {
        // Only the status matters; the body is not read.
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** A resolver for node:net that answers with the checked addresses only, however often it is asked. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for every address when it tries IPv4 and IPv6 side by side (autoSelectFamily).
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function aborted(signal: AbortSignal) {
  return new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true }));
}
