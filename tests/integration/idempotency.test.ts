import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZodError } from "zod";
import { toPublicError } from "@/lib/api/error-response";
import { systemActor } from "@/lib/audit/actor";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import type { GrantInput } from "@/lib/entitlements/grant-input";
import { AppError } from "@/lib/errors";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
const admin = awsAdmin(ctx);

let repo: RepositoryRef;
let slug: string;

beforeAll(async () => {
  ({ repo, slug } = await admin.productOnNewRepository({ foreignStatement: FOREIGN_STATEMENT }));
});

afterAll(async () => {
  admin.destroy();
  await closePools();
});

const awsEventCount = () => db.auditEvent.count({ where: { action: { startsWith: "aws." } } });

describe("repeating a purchase or a reconciliation", () => {
  it("returns the first entitlement for a repeated externalRef, and reconciling again changes nothing in AWS", async () => {
    const input = { customerEmail: `${unique("repeat")}@example.com`, productSlug: slug, expiresAt: inAYear(), externalRef: unique("order") };

    const first = await grantEntitlement({ actor, source: "STRIPE", input });
    expect(first.created).toBe(true);
    expect(await convergeCustomer(first.entitlement.customerId, actor)).toEqual({ ok: true });
    const second = await grantEntitlement({ actor, source: "STRIPE", input: { ...input, expiresAt: inAYear() } });
    expect(second.created).toBe(false);
    expect(second.entitlement.id).toBe(first.entitlement.id);
    expect(await convergeCustomer(second.entitlement.customerId, actor)).toEqual({ ok: true });

    const customerId = first.entitlement.customerId;
    expect(await db.entitlement.count({ where: { source: "STRIPE", externalRef: input.externalRef } })).toBe(1);
    expect(await db.entitlement.count({ where: { customerId } })).toBe(1);
    expect(await db.user.count({ where: { email: input.customerEmail } })).toBe(1);

    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    const policyBefore = await probe.policy(repo);
    const keysBefore = await probe.keyIds(identity.userName);
    const awsEventsBefore = await awsEventCount();
    expect(policyBefore.Statement).toContainEqual(FOREIGN_STATEMENT);
    expect(await probe.principals(repo)).toEqual([identity.arn]);
    expect(keysBefore).toHaveLength(1);

    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });

    expect(await awsEventCount()).toBe(awsEventsBefore);
    expect(await probe.policy(repo)).toEqual(policyBefore);
    expect(await admin.customerUserNames(customerId)).toEqual([identity.userName]);
    expect(await db.awsIdentity.count({ where: { customerId } })).toBe(1);
    const keysAfter = await probe.keyIds(identity.userName);
    expect(keysAfter).toEqual(keysBefore);
    const active = await db.accessKey.findMany({ where: { identityId: identity.id, status: { not: "DELETED" } } });
    expect(active.map((k) => [k.accessKeyId, k.status])).toEqual([[keysAfter[0], "ACTIVE"]]);
  });

  it("treats the same externalRef from another source as another purchase", async () => {
    const input = { customerEmail: `${unique("sources")}@example.com`, productSlug: slug, expiresAt: inAYear(), externalRef: unique("order") };
    const viaApi = await grantEntitlement({ actor, source: "API", input });
    const viaAdmin = await grantEntitlement({ actor, source: "ADMIN", input });
    expect(await convergeCustomer(viaApi.entitlement.customerId, actor)).toEqual({ ok: true });
    expect(await convergeCustomer(viaAdmin.entitlement.customerId, actor)).toEqual({ ok: true });
    expect(viaAdmin.created).toBe(true);
    expect(viaAdmin.entitlement.id).not.toBe(viaApi.entitlement.id);
    expect(viaAdmin.entitlement.customerId).toBe(viaApi.entitlement.customerId);
  });

  it(
    "creates one entitlement when the same purchase is delivered several times at once",
    async () => {
    const input = { customerEmail: `${unique("redelivery")}@example.com`, productSlug: slug, expiresAt: inAYear(), externalRef: unique("order") };
    const results = await Promise.all(Array.from({ length: 5 }, () => grantEntitlement({ actor, source: "STRIPE", input })));
    await Promise.all(results.map((r) => convergeCustomer(r.entitlement.customerId, actor)));
    expect(new Set(results.map((r) => r.entitlement.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.entitlement.count({ where: { source: "STRIPE", externalRef: input.externalRef } })).toBe(1);
    expect(await db.user.count({ where: { email: input.customerEmail } })).toBe(1);
  });

  it(
    "accepts two different first purchases by a new customer arriving at once",
    async () => {
    const customerEmail = `${unique("two-orders")}@example.com`;
    const grant = () =>
      grantEntitlement({ actor, source: "STRIPE", input: { customerEmail, productSlug: slug, expiresAt: inAYear(), externalRef: unique("order") } });
    const settled = await Promise.allSettled([grant(), grant()]);
    const results = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    // Awaited before asserting, so a failure here leaves no reconcile running into the next test.
    await Promise.all(results.map((r) => convergeCustomer(r.entitlement.customerId, actor)));
    const failures = settled.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    expect(failures).toEqual([]);
    expect(new Set(results.map((r) => r.entitlement.customerId)).size).toBe(1);
    expect(await db.entitlement.count({ where: { customer: { users: { some: { email: customerEmail } } } } })).toBe(2);
  });
});

describe("invalid purchases", () => {
  const valid = (): GrantInput => ({
    customerEmail: `${unique("invalid")}@example.com`,
    productSlug: slug,
    expiresAt: inAYear(),
    externalRef: unique("order"),
  });
  const counts = async () => ({
    customers: await db.customer.count(),
    users: await db.user.count(),
    entitlements: await db.entitlement.count(),
    auditEvents: await db.auditEvent.count(),
  });

  it.each<[string, (v: GrantInput) => GrantInput]>([
    ["a malformed email", (v) => ({ ...v, customerEmail: "not-an-email" })],
    ["an expiry in the past", (v) => ({ ...v, expiresAt: "2020-01-01T00:00:00Z" })],
    ["an unparseable expiry", (v) => ({ ...v, expiresAt: "next tuesday" })],
    ["a start after the expiry", (v) => ({ ...v, startsAt: new Date(Date.parse(v.expiresAt as string) + 1000).toISOString() })],
    ["an unknown product", (v) => ({ ...v, productSlug: unique("no-such-product") })],
    ["an unknown extra field", (v) => ({ ...v, discountPercent: 50 }) as GrantInput],
  ])("rejects %s as INVALID_INPUT and writes nothing", async (_label, change) => {
    const input = change(valid());
    const before = await counts();
    const error = await grantEntitlement({ actor, source: "API", input }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error instanceof ZodError || (error instanceof AppError && error.code === "INVALID_INPUT"), String(error)).toBe(true);
    expect(toPublicError(error).body.error.code).toBe("INVALID_INPUT");
    expect(await counts()).toEqual(before);
    if (input.externalRef) expect(await db.entitlement.count({ where: { externalRef: input.externalRef } })).toBe(0);
  });
});
