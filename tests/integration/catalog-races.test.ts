// The catalog's check-then-insert paths under concurrency on PostgreSQL: attaching one repository
// and adding one Stripe price from many requests at once gives one row, one audit event, and a
// clear CONFLICT (never a database error) to the requests that lost.
import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db, disconnectDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { attachRepository } from "@/lib/products/attach-repository";
import { addStripePrice } from "@/lib/products/stripe-prices";
import { awsAdmin } from "../support/aws-admin";
import { createProduct, unique } from "../support/seed";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const actor = systemActor("test");
const CONCURRENT = 8;

afterAll(disconnectDb);

/** Each outcome as "ok" or the AppError's code; anything else (a database error) as its text. */
async function outcomes(calls: Promise<unknown>[]) {
  return (await Promise.allSettled(calls)).map((r) =>
    r.status === "fulfilled" ? "ok" : r.reason instanceof AppError ? r.reason.code : `unexpected: ${String(r.reason)}`,
  );
}

describe("attaching a repository", () => {
  it("attaches it once when two products ask for it at the same time", async () => {
    const repo = await aws.createRepository();
    const products = await Promise.all([0, 1].map(() => createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] })));
    const results = await outcomes(
      Array.from({ length: CONCURRENT }, (_, i) => attachRepository({ actor, input: { productId: products[i % 2]!.id, region: ctx.region, name: repo.name } })),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok")).toEqual(Array(CONCURRENT - 1).fill("CONFLICT"));
    expect(await db.repository.count({ where: { name: repo.name } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "repository.attached", data: { path: ["repository"], string_contains: repo.name } } })).toBe(1);
  });
});

describe("adding a Stripe price", () => {
  const priceId = () => `price_${unique("race").replace(/[^A-Za-z0-9]/g, "")}`;

  it("adds it once when the same product gets it from many requests, each of which succeeds", async () => {
    const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
    const id = priceId();
    expect(await outcomes(Array.from({ length: CONCURRENT }, () => addStripePrice({ actor, productId: product.id, priceId: id })))).toEqual(
      Array(CONCURRENT).fill("ok"),
    );
    expect(await db.stripePrice.count({ where: { id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "product.stripe_price_added", data: { path: ["priceId"], equals: id } } })).toBe(1);
  });

  it("gives it to one product when two ask at once; the other gets CONFLICT", async () => {
    const products = await Promise.all([0, 1].map(() => createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] })));
    const id = priceId();
    const results = await outcomes(Array.from({ length: CONCURRENT }, (_, i) => addStripePrice({ actor, productId: products[i % 2]!.id, priceId: id })));
    const winner = (await db.stripePrice.findUniqueOrThrow({ where: { id } })).productId;
    results.forEach((result, i) => expect(result).toBe(products[i % 2]!.id === winner ? "ok" : "CONFLICT"));
  });
});
