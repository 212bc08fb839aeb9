// Concurrent grants on the real PostgreSQL: the trial rule and the customer's creation hold however
// many requests for one customer arrive at the same moment.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { closePools } from "../support/close-pools";
import { createProduct, inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
const email = (prefix: string) => `${unique(prefix)}@example.com`;

/** A customer that exists before the race, so the requests contend on its entitlements, not on creating it. */
async function existingCustomer(prefix: string) {
  const address = email(prefix);
  await db.customer.create({ data: { name: unique("Customer"), users: { create: { email: address, role: "CUSTOMER_OWNER" } } } });
  return address;
}

let product: { id: string; slug: string };
beforeAll(async () => {
  // No repository: these tests judge the desired state only, not AWS.
  product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
});

afterAll(closePools);

const trial = (customerEmail: string) => grantEntitlement({ actor, source: "ADMIN", input: { customerEmail, productSlug: product.slug, kind: "TRIAL" } });
const purchase = (customerEmail: string, externalRef: string) =>
  grantEntitlement({ actor, source: "API", input: { customerEmail, productSlug: product.slug, expiresAt: inAYear(), externalRef } });

const customerOf = async (address: string) => (await db.user.findUniqueOrThrow({ where: { email: address } })).customerId!;
const entitlementsOf = async (address: string) => db.entitlement.findMany({ where: { customerId: await customerOf(address), productId: product.id } });
const conflict = { code: "CONFLICT", status: 409, message: expect.stringMatching(/trial is for customers new to it/) };

describe("concurrent grants for one customer", () => {
  it("give one trial of 20 requested at once; the others are a clear 409", async () => {
    const address = await existingCustomer("trials");
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => trial(address)));

    const granted = settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
    expect(granted).toEqual([expect.objectContaining({ created: true, entitlement: expect.objectContaining({ kind: "TRIAL" }) })]);
    const refused = settled.filter((s) => s.status === "rejected").map((s) => s.reason as unknown);
    expect(refused).toEqual(Array.from({ length: 19 }, () => expect.objectContaining(conflict)));
    expect(await entitlementsOf(address)).toHaveLength(1);
  });

  it("leave one entitlement when 5 trials and 5 deliveries of one purchase race: the trial converts or is refused", async () => {
    const address = await existingCustomer("mixed");
    const order = unique("order");
    const requests = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? trial(address) : purchase(address, order)));
    const settled = await Promise.allSettled(requests);

    const [only, ...more] = await entitlementsOf(address);
    expect(more).toEqual([]);
    expect(only).toMatchObject({ kind: "STANDARD", source: "API", externalRef: order });
    settled.forEach((s, i) => {
      if (i % 2 === 1) expect(s).toMatchObject({ status: "fulfilled", value: { entitlement: { id: only!.id } } });
      // A trial either came first (and the purchase converted it) or came after the purchase.
      else if (s.status === "fulfilled") expect(s.value).toMatchObject({ created: true, entitlement: { id: only!.id, kind: "TRIAL" } });
      else expect(s.reason).toMatchObject(conflict);
    });
    expect(settled.filter((s, i) => i % 2 === 0 && s.status === "fulfilled").length).toBeLessThanOrEqual(1);
  });

  it("create one customer when 20 purchases from one new email arrive at once", async () => {
    const address = email("first-purchases");
    const granted = await Promise.all(Array.from({ length: 20 }, () => purchase(address, unique("order"))));

    const customerIds = new Set(granted.map((g) => g.entitlement.customerId));
    expect(customerIds).toEqual(new Set([await customerOf(address)]));
    expect(await db.user.count({ where: { email: address } })).toBe(1);
    expect(await entitlementsOf(address)).toHaveLength(20);
  });

  it("refuse a second trial row even from a write that skips the use case", async () => {
    const address = email("direct");
    const { entitlement } = await trial(address);
    const { customerId, productId, expiresAt } = entitlement;
    await expect(db.entitlement.create({ data: { customerId, productId, kind: "TRIAL", expiresAt, source: "ADMIN" } })).rejects.toMatchObject({
      code: "P2002",
    });
  });
});
