import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { policyWriteDue } from "@/lib/provisioning/batch-window";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";
import { reconcileRepository } from "@/lib/provisioning/reconcile-repository";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
const admin = awsAdmin(ctx);
const WINDOW_MS = 20_000;

afterAll(async () => {
  admin.destroy();
  await closePools();
});

async function purchase(productSlug: string) {
  const granted = await grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique("batch")}@example.com`, productSlug, expiresAt: inAYear() } });
  return granted.entitlement;
}

/** Runs the customer's half only: its IAM user exists and its grant waits for the repository write. */
async function provisionIdentity(customerId: string, repositoryId: string) {
  expect(await reconcileCustomer(customerId, actor)).toEqual({ ok: true, waitingOn: [repositoryId] });
}

describe("the repository write's batch window", () => {
  it("holds additions while other customers are still being provisioned, at most the window, and not once they are done", async () => {
    const { repo, product } = await admin.productOnNewRepository();
    const repositoryId = (await db.repository.findFirstOrThrow({ where: { productId: product.id } })).id;
    const first = await purchase(product.slug);
    const second = await purchase(product.slug);
    await provisionIdentity(first.customerId, repositoryId);

    const now = new Date();
    const due = await policyWriteDue(repositoryId, now);
    expect(due?.getTime()).toBe(now.getTime() + WINDOW_MS);
    // Later jobs keep the first deadline: the window starts when the first addition is ready.
    expect(await policyWriteDue(repositoryId, new Date(now.getTime() + 5_000))).toEqual(due);
    expect(await policyWriteDue(repositoryId, new Date(now.getTime() + WINDOW_MS))).toBeNull();

    // Once nobody else is on the way, the write is due at once, and it carries both principals.
    await provisionIdentity(second.customerId, repositoryId);
    expect(await policyWriteDue(repositoryId, new Date())).toBeNull();
    await reconcileRepository(repositoryId, actor);
    const identities = await db.awsIdentity.findMany({ where: { liveFor: { in: [first.customerId, second.customerId] } } });
    expect((await probe.principals(repo)).sort()).toEqual(identities.map((i) => i.arn).sort());
    expect((await db.repository.findUniqueOrThrow({ where: { id: repositoryId } })).writeDueAt).toBeNull();
  });

  it("never holds a removal, even while other customers are being provisioned", async () => {
    const { product } = await admin.productOnNewRepository();
    const repositoryId = (await db.repository.findFirstOrThrow({ where: { productId: product.id } })).id;
    const leaving = await purchase(product.slug);
    await provisionIdentity(leaving.customerId, repositoryId);
    await reconcileRepository(repositoryId, actor);

    await purchase(product.slug);
    await revokeEntitlement({ actor, entitlementId: leaving.id });
    expect(await reconcileCustomer(leaving.customerId, actor)).toEqual({ ok: true, waitingOn: [repositoryId] });
    expect(await policyWriteDue(repositoryId, new Date())).toBeNull();
  });

  it("does not hold when nothing waits for the write", async () => {
    const { product } = await admin.productOnNewRepository();
    const repositoryId = (await db.repository.findFirstOrThrow({ where: { productId: product.id } })).id;
    await purchase(product.slug);
    expect(await policyWriteDue(repositoryId, new Date())).toBeNull();
  });
});
