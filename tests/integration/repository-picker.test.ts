import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { disconnectDb } from "@/lib/db";
import { attachRepository } from "@/lib/products/attach-repository";
import { availableRepositories, ecrRegions } from "@/lib/products/available-repositories";
import { awsAdmin } from "../support/aws-admin";
import { createProduct } from "../support/seed";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const actor = systemActor("test");

afterAll(disconnectDb);

describe("picking a product's repositories from the account's own", () => {
  it("lists the region's repositories with the product each belongs to, and attaches only from configured regions", async () => {
    const repo = await aws.createRepository();
    const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
    expect(ecrRegions()).toEqual([ctx.region]);

    const before = (await availableRepositories(ctx.region)).find((r) => r.name === repo.name);
    expect(before).toEqual({ name: repo.name, uri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${repo.name}`, attachedTo: null });

    await attachRepository({ actor, input: { productId: product.id, region: ctx.region, name: repo.name } });
    expect((await availableRepositories(ctx.region)).find((r) => r.name === repo.name)?.attachedTo).toBe(product.name);
    await expect(attachRepository({ actor, input: { productId: product.id, region: ctx.region, name: repo.name } })).rejects.toThrow(
      /already belongs to a product/,
    );
    await expect(attachRepository({ actor, input: { productId: product.id, region: "eu-north-1", name: repo.name } })).rejects.toThrow(
      /not one of the configured regions/,
    );
  });
});
