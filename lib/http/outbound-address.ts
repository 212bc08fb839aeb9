import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { restrictedRange } from "./public-address";

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A URL's host as DNS and allowed-host lists know it: IPv6 without its brackets. */
export const urlHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

export type CheckedAddresses = { addresses: LookupAddress[]; refused: null } | { addresses: null; refused: string };

/**
 * Resolves a host once and checks every address it resolves to: a host on `allowedHosts` (local
 * receivers the operator named) may be anything, any other must be public. `refused` says why not,
 * for the operator's log.
 */
export async function checkedAddresses(host: string, { allowedHosts, resolve = systemResolve, signal }: { allowedHosts: string[]; resolve?: Resolve; signal: AbortSignal }): Promise<CheckedAddresses> {
  const version = isIP(host);
  const addresses = version ? [{ address: host, family: version }] : await Promise.race([resolve(host), aborted(signal)]);
  const refused = allowedHosts.includes(host) ? undefined : addresses.find((a) => restrictedRange(a.address));
  if (refused) return { addresses: null, refused: `${host} resolves to ${refused.address} (${restrictedRange(refused.address)})` };
  if (addresses.length === 0) return { addresses: null, refused: `${host} resolves to no address` };
  return { addresses, refused: null };
}

/** A resolver for node:net that answers with the checked addresses only, however often it is asked. */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for every address when it tries IPv4 and IPv6 side by side (autoSelectFamily).
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function aborted(signal: AbortSignal) {
  return new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true }));
}
