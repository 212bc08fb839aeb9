import { isIP } from "node:net";

type Range = readonly [base: string, prefix: number, name: string];

// IANA's special-purpose ranges: none of them is a vendor's public receiver. The metadata address
// comes first so logs name it.
const IPV4_RANGES: readonly Range[] = [
  ["169.254.169.254", 32, "cloud metadata"],
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (CGNAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const IPV6_RANGES: readonly Range[] = [
  ["fd00:ec2::254", 128, "cloud metadata"],
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "local NAT64"],
  ["100::", 64, "discard"],
  ["2001::", 23, "reserved"],
  ["2001:db8::", 32, "documentation"],
  ["3fff::", 20, "documentation"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

// IPv6 forms that carry an IPv4 address in their last 32 bits: it decides where they lead.
const EMBEDDING_IPV4: readonly Range[] = [
  ["::ffff:0:0", 96, "IPv4-mapped"],
  ["::", 96, "IPv4-compatible"],
  ["::ffff:0:0:0", 96, "IPv4-translated"],
  ["64:ff9b::", 96, "NAT64"],
];
const SIX_TO_FOUR: Range = ["2002::", 16, "6to4"];
const GLOBAL_UNICAST: Range = ["2000::", 3, "global unicast"];

/**
 * The name of the non-public range an address (as DNS or a URL's host gives it) falls in, or null
 * for a public address. Anything that is not an IP address is refused too.
 */
export function restrictedRange(address: string): string | null {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const version = isIP(plain);
  if (version === 4) return ipv4Range(ipv4Value(plain));
  if (version === 6) return ipv6Range(ipv6Value(plain));
  return "not an IP address";
}

function ipv4Range(value: number): string | null {
  return IPV4_RANGES.find(([base, prefix]) => value >>> (32 - prefix) === ipv4Value(base) >>> (32 - prefix))?.[2] ?? null;
}

function ipv6Range(value: bigint): string | null {
  const named = IPV6_RANGES.find((range) => inIpv6Range(value, range));
  if (named) return named[2];
  const embedded = EMBEDDING_IPV4.find((range) => inIpv6Range(value, range));
  if (embedded) return ipv4Range(Number(value & 0xffff_ffffn));
  if (inIpv6Range(value, SIX_TO_FOUR)) return ipv4Range(Number((value >> 80n) & 0xffff_ffffn));
  return inIpv6Range(value, GLOBAL_UNICAST) ? null : "reserved";
}

function inIpv6Range(value: bigint, [base, prefix]: Range) {
  const shift = BigInt(128 - prefix);
  return value >> shift === ipv6Value(base) >> shift;
}

function ipv4Value(address: string) {
  return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** The 128-bit value of a valid IPv6 address, any notation (`::`, a dotted IPv4 tail). */
function ipv6Value(address: string): bigint {
  const tail = /\d+\.\d+\.\d+\.\d+$/.exec(address);
  const v4 = tail ? ipv4Value(tail[0]) : 0;
  const hex = tail ? `${address.slice(0, tail.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}` : address;
  const [head = "", rest] = hex.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const all = rest === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(rest).length).fill("0"), ...groups(rest)];
  return all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
