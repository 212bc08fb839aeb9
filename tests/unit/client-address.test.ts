import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/http/client-address";

const proxies = ["10.0.0.0/8", "192.0.2.10", "fd00::/8"];

describe("clientAddress", () => {
  it("trusts no forwarded address when no proxy is listed", () => {
    expect(clientAddress("203.0.113.5", [])).toBeNull();
    expect(clientAddress(null, [])).toBeNull();
  });

  it("takes the rightmost hop that is not a listed proxy", () => {
    expect(clientAddress("198.51.100.1, 203.0.113.5, 10.1.2.3", proxies)).toBe("203.0.113.5");
    expect(clientAddress("203.0.113.5,192.0.2.10", proxies)).toBe("203.0.113.5");
    expect(clientAddress("2001:db8::1, fd12::3", proxies)).toBe("2001:db8::1");
  });

  it("ignores what the client claims to the left of the first untrusted hop", () => {
    expect(clientAddress("10.9.9.9, 203.0.113.5, 10.1.2.3", proxies)).toBe("203.0.113.5");
  });

  it("reads IPv4 addresses written as IPv6", () => {
    expect(clientAddress("::ffff:203.0.113.5, ::ffff:10.1.2.3", proxies)).toBe("203.0.113.5");
  });

  it("gives nothing for a hop that is not an address, or when every hop is a proxy", () => {
    expect(clientAddress("203.0.113.5, unknown, 10.1.2.3", proxies)).toBeNull();
    expect(clientAddress("10.1.2.3, 192.0.2.10", proxies)).toBeNull();
    expect(clientAddress("", proxies)).toBeNull();
    expect(clientAddress(null, proxies)).toBeNull();
  });
});
