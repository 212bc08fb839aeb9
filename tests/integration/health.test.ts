// /api/health: liveness for anyone (load balancers, the sandbox's readiness wait) without a word
// about what is behind it; the database and AWS details only for a vendor admin or the operator's
// token (PULLGATE_HEALTH_TOKEN).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

const TOKEN = "health-token-0123456789abcdef-0123456789";
// Read lazily by env(), so set before the first request; other files never see it.
process.env.PULLGATE_HEALTH_TOKEN = TOKEN;

const request = (authorization?: string) =>
  new Request("http://127.0.0.1:3999/api/health", { headers: authorization ? { authorization } : {} });

const DETAILS = { status: "ok", database: { ok: true }, aws: { ok: true } };

let users: Record<"owner" | "admin" | "viewer" | "customer", { id: string; sessionEpoch: number }>;

beforeAll(async () => {
  const user = (role: UserRole, customerId?: string) =>
    db.user.create({ data: { email: `${unique(role.toLowerCase())}@example.com`, role, customerId } });
  const customer = await db.customer.create({ data: { name: unique("Health customer") } });
  users = {
    owner: await user("VENDOR_OWNER"),
    admin: await user("VENDOR_ADMIN"),
    viewer: await user("VENDOR_VIEWER"),
    customer: await user("CUSTOMER_OWNER", customer.id),
  };
});

afterAll(async () => {
  delete process.env.PULLGATE_HEALTH_TOKEN;
  await closePools();
});

describe("/api/health", () => {
  it("answers a stranger's liveness probe with the status alone", async () => {
    const res = await health(request());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["a wrong token", "Bearer not-the-token"],
    ["the token as a prefix", `Bearer ${TOKEN.slice(0, -1)}`],
    ["the token with something after it", `Bearer ${TOKEN}x`],
    ["the token without the Bearer scheme", TOKEN],
    ["the token under another scheme", `Basic ${TOKEN}`],
  ])("gives no details for %s", async (_label, authorization) => {
    expect(await (await health(request(authorization))).json()).toEqual({ status: "ok" });
  });

  it.each(["viewer", "customer"] as const)("gives no details to a signed-in %s", async (who) => {
    signInAs(users[who]);
    expect(await (await health(request())).json()).toEqual({ status: "ok" });
  });

  it("reports database and AWS reachability to the operator's token", async () => {
    const res = await health(request(`Bearer ${TOKEN}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject(DETAILS);
  });

  it.each(["owner", "admin"] as const)("reports database and AWS reachability to a signed-in vendor %s", async (who) => {
    signInAs(users[who]);
    expect(await (await health(request())).json()).toMatchObject(DETAILS);
  });
});
