// The admin table's filters, search and sorts, the customer list, and the overview's weekly series, on PostgreSQL.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { customerQuerySchema, listCustomers } from "@/lib/customers/list-customers";
import { entitlementQuerySchema, listEntitlements } from "@/lib/entitlements/list-entitlements";
import { overviewSeries } from "@/lib/entitlements/overview";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

const DAY_MS = 86_400_000;
type Extra = Pick<Prisma.EntitlementUncheckedCreateInput, "status" | "syncStatus" | "endedAt"> & { expiresAt: Date; startsAt?: Date };

afterAll(closePools);

async function seedCatalogue(now: Date) {
  const product = await db.product.create({ data: { slug: unique("list"), name: `Listing ${unique("p")}` } });
  const customer = async (name: string) => {
    const email = `${unique(name)}@example.com`;
    const c = await db.customer.create({ data: { name: `${name} ${unique("co")}`, users: { create: { email, role: "CUSTOMER_OWNER" } } } });
    return { ...c, email };
  };
  const [alpha, bravo, charlie] = [await customer("alpha"), await customer("bravo"), await customer("charlie")];
  const identity = await db.awsIdentity.create({
    data: { customerId: bravo.id, liveFor: bravo.id, accountId: "123456789012", userName: unique("pullgate-bravo"), arn: "arn:aws:iam::123456789012:user/pullgate/bravo" },
  });
  const keyId = `AKIA${unique("").replace(/[^a-z0-9]/gi, "").toUpperCase().slice(0, 16).padEnd(16, "X")}`;
  await db.accessKey.create({ data: { identityId: identity.id, accessKeyId: keyId } });
  const entitlement = (customerId: string, data: Extra) =>
    db.entitlement.create({ data: { customerId, productId: product.id, source: "ADMIN", startsAt: new Date(now.getTime() - 30 * DAY_MS), ...data } });
  const soon = await entitlement(alpha.id, { expiresAt: new Date(now.getTime() + 5 * DAY_MS), syncStatus: "SYNCED" });
  const later = await entitlement(bravo.id, { expiresAt: new Date(now.getTime() + 60 * DAY_MS), syncStatus: "SYNCED" });
  const failed = await entitlement(charlie.id, { expiresAt: new Date(now.getTime() + 20 * DAY_MS), syncStatus: "FAILED" });
  const expired = await entitlement(charlie.id, { expiresAt: new Date(now.getTime() - DAY_MS), status: "EXPIRED", syncStatus: "SYNCED" });
  return { product, alpha, bravo, charlie, identity, keyId, soon, later, failed, expired };
}

const query = (input: Record<string, string>) => entitlementQuerySchema.parse(input);
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("the admin entitlement table", () => {
  it("filters by status, product and expiry window, searches every field, and sorts", async () => {
    const now = new Date();
    const s = await seedCatalogue(now);
    const product = s.product.slug;

    expect(ids((await listEntitlements(query({ product }))).rows)).toEqual(ids([s.expired, s.failed, s.later, s.soon]));
    expect(ids((await listEntitlements(query({ product, status: "active" }))).rows).sort()).toEqual(ids([s.soon, s.later]).sort());
    expect(ids((await listEntitlements(query({ product, status: "failed" }))).rows)).toEqual([s.failed.id]);
    expect(ids((await listEntitlements(query({ product, status: "expired" }))).rows)).toEqual([s.expired.id]);
    expect(ids((await listEntitlements(query({ product, expiring: "7" }))).rows)).toEqual([s.soon.id]);
    expect(ids((await listEntitlements(query({ product, expiring: "30" }))).rows).sort()).toEqual(ids([s.soon, s.failed]).sort());

    expect(ids((await listEntitlements(query({ product, q: s.alpha.email.toUpperCase() }))).rows)).toEqual([s.soon.id]);
    expect(ids((await listEntitlements(query({ product, q: s.charlie.name }))).rows).sort()).toEqual(ids([s.failed, s.expired]).sort());
    expect(ids((await listEntitlements(query({ product, q: s.identity.userName }))).rows)).toEqual([s.later.id]);
    expect(ids((await listEntitlements(query({ product, q: s.keyId }))).rows)).toEqual([s.later.id]);
    expect((await listEntitlements(query({ q: s.product.name }))).total).toBe(4);

    expect(ids((await listEntitlements(query({ product, sort: "expires-soonest" }))).rows)).toEqual(ids([s.expired, s.soon, s.failed, s.later]));
    expect(ids((await listEntitlements(query({ product, sort: "customer" }))).rows.slice(0, 1))).toEqual([s.soon.id]);
  });

  it("treats unknown filter values as absent instead of failing", () => {
    expect(query({ status: "bogus", sort: "sideways", page: "-3", expiring: "365" })).toEqual({ sort: "newest", page: 1 });
  });
});

describe("the admin customer list", () => {
  const customers = (input: Record<string, string>) => listCustomers(customerQuerySchema.parse(input));

  it("finds customers by part of their name or of a user's email, wildcards taken literally, newest first", async () => {
    const now = new Date();
    const s = await seedCatalogue(now);
    const tag = unique("lit");
    const created = (day: number) => new Date(now.getTime() - day * DAY_MS);
    const percent = await db.customer.create({ data: { name: `${tag} 100%`, createdAt: created(4) } });
    const thousand = await db.customer.create({ data: { name: `${tag} 1000`, createdAt: created(3) } });
    const user = (email: string) => ({ create: { email, role: "CUSTOMER_MEMBER" as const } });
    const underscore = await db.customer.create({ data: { name: `${tag} other`, createdAt: created(2), users: user(`${tag}_ops@example.com`) } });
    const lookalike = await db.customer.create({ data: { name: `${tag} another`, createdAt: created(1), users: user(`${tag}xops@example.com`) } });

    expect(ids((await customers({ q: `${tag} 100%` })).rows)).toEqual([percent.id]);
    expect(ids((await customers({ q: `${tag}_ops`.toUpperCase() })).rows)).toEqual([underscore.id]);
    expect(await customers({ q: tag })).toMatchObject({ total: 4, rows: ids([lookalike, underscore, thousand, percent]).map((id) => ({ id })) });

    const charlie = await customers({ q: s.charlie.email });
    expect(charlie).toMatchObject({ total: 1, totalIsCapped: false, pageCount: 1 });
    expect(charlie.rows).toEqual([
      { id: s.charlie.id, name: s.charlie.name, createdAt: s.charlie.createdAt, email: s.charlie.email, users: 1, activeEntitlements: 1, entitlements: 2, ownAccounts: 0, keyAccess: true },
    ]);
    expect(ids((await customers({ q: s.alpha.name.split(" ")[1]! })).rows)).toEqual([s.alpha.id]);
  });

  it("stops counting at the last page that can be opened", async () => {
    const tag = unique("many");
    await db.customer.createMany({ data: Array.from({ length: 10_001 }, (_, i) => ({ name: `${tag} ${i}` })) });
    try {
      expect(await customers({ q: tag, page: "999" })).toMatchObject({ total: 10_000, totalIsCapped: true, pageCount: 200 });
      expect(customerQuerySchema.parse({ page: "999" }).page).toBe(200);
      expect((await customers({ q: `${tag} 1000` })).total).toBe(2);
    } finally {
      await db.customer.deleteMany({ where: { name: { startsWith: tag } } });
    }
  });
});

describe("the overview's weekly series", () => {
  it("counts entitlements active at each week's end and expiries due by week", async () => {
    // A Wednesday long before every other test's rows, so only this test's rows fall in its weeks.
    const now = new Date("2024-06-19T12:00:00Z");
    const product = await db.product.create({ data: { slug: unique("series"), name: "Series" } });
    const customer = await db.customer.create({ data: { name: unique("series") } });
    const at = (iso: string) => new Date(iso);
    const add = (data: Extra & { startsAt: Date }) => db.entitlement.create({ data: { customerId: customer.id, productId: product.id, source: "ADMIN", ...data } });
    await add({ startsAt: at("2023-01-01T00:00:00Z"), expiresAt: at("2024-06-05T10:00:00Z"), endedAt: at("2024-06-05T10:00:05Z"), status: "EXPIRED" });
    await add({ startsAt: at("2024-05-29T09:00:00Z"), expiresAt: at("2024-06-27T00:00:00Z") });

    const { active, expiring } = await overviewSeries(now);
    expect(active).toHaveLength(12);
    expect(active[0]!.week.toISOString()).toBe("2024-04-01T00:00:00.000Z");
    expect(active.at(-1)!.week.toISOString()).toBe("2024-06-17T00:00:00.000Z");
    const byWeek = Object.fromEntries(active.map((w) => [w.week.toISOString().slice(0, 10), w.count]));
    expect(byWeek).toMatchObject({ "2024-04-01": 1, "2024-05-20": 1, "2024-05-27": 2, "2024-06-03": 1, "2024-06-17": 1 });
    expect(expiring[0]!.week.toISOString()).toBe("2024-06-17T00:00:00.000Z");
    expect(expiring.map((w) => w.count)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
