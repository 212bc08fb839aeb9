import { BlockList, isIP } from "node:net";

// A v4 address written as v6 (a dual-stack socket's view) is the same client.
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

function proxyList(trustedProxies: readonly string[]) {
  const list = new BlockList();
  for (const entry of trustedProxies) {
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/**
 * The client's address from X-Forwarded-For, believed only through the operator's proxies: the
 * rightmost hop that is not one of them. Next hands route handlers and server actions no socket
 * address; it only writes it into X-Forwarded-For when the request carries none, so a client
 * talking to Next directly could put anything there. Without trusted proxies, therefore, no
 * address at all; with them, the portal must be reachable through them only.
 */
export function clientAddress(forwardedFor: string | null | undefined, trustedProxies: readonly string[]): string | null {
  if (trustedProxies.length === 0 || !forwardedFor) return null;
  const proxies = proxyList(trustedProxies);
  const hops = forwardedFor.split(",").map((hop) => unmapped(hop.trim()));
  for (const hop of hops.reverse()) {
    const version = isIP(hop);
    // Something that is not an address was written by no proxy of ours: nothing left to believe.
    if (version === 0) return null;
    if (!proxies.check(hop, version === 6 ? "ipv6" : "ipv4")) return hop;
  }
  return null;
}
