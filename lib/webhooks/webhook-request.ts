import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { env } from "@/lib/env";
import { checkedAddresses, pinnedLookup, urlHost, type Resolve } from "@/lib/http/outbound-address";

export { urlHost, type Resolve } from "@/lib/http/outbound-address";

export type WebhookRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * `error` is what the vendor sees and what is stored: a category only ("could not connect"), never
 * an address or a system error, so failures reveal nothing of the network behind the portal.
 * `detail` is for the operator's log.
 */
export type WebhookAnswer = { httpStatus: number | null; error: string | null; detail: string | null };

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
  { timeoutMs, allowedHosts = env().PULLGATE_WEBHOOK_ALLOWED_HOSTS, resolve }: { timeoutMs: number; allowedHosts?: string[]; resolve?: Resolve },
): Promise<WebhookAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(request.url);
    const { addresses, refused } = await checkedAddresses(urlHost(url), { allowedHosts, resolve, signal });
    if (refused !== null) return { httpStatus: null, error: "address not allowed", detail: refused };
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
