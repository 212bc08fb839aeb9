import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { systemActor } from "@/lib/audit/actor";
import { disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { createProduct, inAYear, unique } from "../support/seed";
import { v1Client } from "../support/v1-client";

// Customers and products are paged across the database every integration file shares: not the
// rate limit's test, so it must not stop it.
process.env.PULLGATE_API_RATE_LIMIT = "100000";

const ctx = inject("integration");
const actor = systemActor("test");
let key: string;
const call = v1Client(() => key);
let productSlug: string;
let otherSlug: string;
const emails: string[] = [];
const granted: string[] = [];

/** Every item of a list, following nextCursor page by page. */
async function everything(path: string, query: Record<string, string | number>) {
  const items: { id?: string; slug?: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await call(path, { query: { ...query, ...(cursor ? { cursor } : {}) } });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(Number(query.limit));
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

beforeAll(async () => {
  key = (await createApiKey({ actor, input: { label: unique("lists"), scope: "READ_WRITE" } })).key;
  const product = () => createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [unique("repo")] });
  productSlug = (await product()).slug;
  otherSlug = (await product()).slug;
  for (let i = 0; i < 7; i++) {
    const email = `${unique("lists")}@example.com`;
    emails.push(email);
    const res = await call("/entitlements", { method: "POST", body: { customerEmail: email, productSlug: i < 5 ? productSlug : otherSlug, expiresAt: inAYear() } });
    granted.push(res.body.id);
  }
  await call("/entitlements/{id}/suspend", { method: "POST", params: { id: granted[1]! } });
});

afterAll(async () => {
  delete process.env.PULLGATE_API_RATE_LIMIT;
  await closeLockPool();
  await disconnectDb();
});

describe("v1 lists", () => {
  it("pages through every entitlement once, in a stable order", async () => {
    // Within this file's product (the shared database holds every other file's entitlements too).
    const { items, pages } = await everything("/entitlements", { limit: 2, product: productSlug });
    const ids = items.map((e) => e.id);
    // Created in order, so they come in that order, each once, with no gaps.
    expect(ids).toEqual(granted.slice(0, 5));
    expect(pages).toBe(3);
    const firstPage = await call("/entitlements", { query: { limit: 2, product: productSlug } });
    expect(firstPage.body.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 2));
  });

  it("filters entitlements by product, status and customer", async () => {
    const byProduct = await everything("/entitlements", { limit: 3, product: productSlug });
    expect(byProduct.items.map((e) => e.id)).toEqual(granted.slice(0, 5));
    const suspended = await everything("/entitlements", { limit: 100, product: productSlug, status: "SUSPENDED" });
    expect(suspended.items.map((e) => e.id)).toEqual([granted[1]]);
    const customerId = (await call("/entitlements/{id}", { params: { id: granted[6]! } })).body.customer.id;
    const mine = await call("/entitlements", { query: { customerId } });
    expect(mine.body).toMatchObject({ data: [{ id: granted[6], product: otherSlug }], nextCursor: null });
    expect((await call("/entitlements", { query: { product: "no-such-product" } })).body).toEqual({ data: [], nextCursor: null });
  });

  it("refuses a bad limit, status or cursor with 422", async () => {
    const notOurs = Buffer.from('["x","y"]').toString("base64url");
    const queries: Record<string, string | number>[] = [
      { limit: 0 },
      { limit: 101 },
      { limit: "ten" },
      { status: "active" },
      { cursor: "garbage" },
      { cursor: notOurs },
    ];
    for (const query of queries) {
      const res = await call("/entitlements", { query });
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.error.code).toBe("INVALID_INPUT");
    }
    expect((await call("/customers", { query: { cursor: "%%%" } })).status).toBe(422);
    expect((await call("/products", { query: { limit: 1000 } })).status).toBe(422);
  });

  it("pages customers and finds one by email, with its entitlements and users", async () => {
    const { items } = await everything("/customers", { limit: 100 });
    const ids = items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const found = await call("/customers", { query: { email: emails[1]!.toUpperCase() } });
    expect(found.body.data).toHaveLength(1);
    const customer = found.body.data[0];
    expect(customer).toMatchObject({ emails: [emails[1]], iamUserArn: null, entitlements: [{ id: granted[1], status: "SUSPENDED", product: productSlug }] });
    expect((await call("/customers/{id}", { params: { id: customer.id } })).body).toEqual(customer);
    // Ours, each once and in the order they were created (other files' customers may come between or after).
    const ours = await Promise.all(emails.map(async (email) => (await call("/customers", { query: { email } })).body.data[0].id));
    expect(ids.filter((id) => ours.includes(id))).toEqual(ours);
    expect((await call("/customers", { query: { email: "not-an-email" } })).status).toBe(422);
  });

  it("pages products with their terms", async () => {
    const { items } = await everything("/products", { limit: 7 });
    const slugs = items.map((p) => p.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs.filter((slug) => slug === productSlug || slug === otherSlug)).toEqual([productSlug, otherSlug]);
    const product = items.find((p) => p.slug === productSlug);
    expect(product).toMatchObject({ trialDays: 14, defaultTermDays: 365, gracePeriodDays: 0, renewalUrl: null, description: null });
  });
});
