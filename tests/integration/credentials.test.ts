import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { retireAccessKey, rotateAccessKey } from "@/lib/credentials/rotate-access-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { AppError } from "@/lib/errors";
import { probe } from "../support/aws-probe";
import { sleep } from "../support/deadline";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";
import { findDueKeyRetirements } from "@/lib/provisioning/reconcile-pending";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { reconcileCustomer } from "@/lib/provisioning/reconcile-customer";

const actor = systemActor("test");
const { ctx, product } = productOnNewRepositoryFixture();

async function newCustomer() {
  const granted = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: `${unique("keys")}@example.com`, productSlug: product.slug, expiresAt: inAYear() },
  });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  const customerId = granted.entitlement.customerId;
  const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
  return { customerId, identity };
}

const activeKey = (identityId: string) => db.accessKey.findFirstOrThrow({ where: { identityId, status: "ACTIVE" } });

/** Samples the user's key count in AWS until stopped, to catch a transient third key. */
function sampleKeyCount(userName: string) {
  let running = true;
  let max = 0;
  const loop = (async () => {
    while (running) {
      max = Math.max(max, (await probe.keyIds(userName)).length);
      await sleep(10);
    }
  })();
  return async () => {
    running = false;
    await loop;
    return max;
  };
}

describe("immediate key replacement (a leaked key)", () => {
  it("disables the old key, issues a working new one and never holds more than two", async () => {
    const { customerId, identity } = await newCustomer();
    const oldKey = await activeKey(identity.id);
    const oldSecret = await revealSecret({ actor, customerId, accessKeyId: oldKey.accessKeyId });
    const oldCredentials = { accessKeyId: oldKey.accessKeyId, secretAccessKey: oldSecret.secretAccessKey };
    expect(await probe.login(oldCredentials, ctx.region)).toBe("ok");

    const stop = sampleKeyCount(identity.userName);
    await rotateAccessKey({ actor, customerId, overlap: false });
    expect(await stop()).toBeLessThanOrEqual(2);

    const newKey = await activeKey(identity.id);
    expect(newKey.accessKeyId).not.toBe(oldKey.accessKeyId);
    expect(await probe.keyIds(identity.userName)).toEqual([newKey.accessKeyId]);
    const retired = await db.accessKey.findUniqueOrThrow({ where: { id: oldKey.id }, omit: { secretCiphertext: false } });
    expect(retired).toMatchObject({ status: "DELETED", secretCiphertext: null });
    expect(retired.deletedAt).toBeInstanceOf(Date);

    expect(await probe.login(oldCredentials, ctx.region)).toBe("InvalidClientTokenId");
    const newSecret = await revealSecret({ actor, customerId, accessKeyId: newKey.accessKeyId });
    expect(newSecret.secretAccessKey).not.toBe(oldSecret.secretAccessKey);
    expect(await probe.login({ accessKeyId: newKey.accessKeyId, secretAccessKey: newSecret.secretAccessKey }, ctx.region)).toBe("ok");

    // The user, and with it the pull grant, is kept across replacements.
    expect(await probe.principals(product.repo)).toContain(identity.arn);
    const actions = (await db.auditEvent.findMany({ where: { customerId }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["access_key.replacement_requested", "aws.access_key.deleted", "aws.access_key.created"]));
  });

  it("keeps exactly one key in AWS across repeated replacements", async () => {
    const { customerId, identity } = await newCustomer();
    const seen = [(await activeKey(identity.id)).accessKeyId];
    const stop = sampleKeyCount(identity.userName);
    for (let i = 0; i < 3; i++) {
      await rotateAccessKey({ actor, customerId, overlap: false });
      const current = await activeKey(identity.id);
      expect(await probe.keyIds(identity.userName)).toEqual([current.accessKeyId]);
      seen.push(current.accessKeyId);
    }
    expect(await stop()).toBeLessThanOrEqual(2);
    expect(new Set(seen).size).toBe(4);
    expect(await db.accessKey.count({ where: { identityId: identity.id, status: { not: "DELETED" } } })).toBe(1);
  });

  it("refuses to replace a key for a customer that has none", async () => {
    const customer = await db.customer.create({ data: { name: unique("keyless") } });
    await expect(rotateAccessKey({ actor, customerId: customer.id, overlap: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

async function credentialsOf(customerId: string, key: { accessKeyId: string }) {
  const { secretAccessKey } = await revealSecret({ actor, customerId, accessKeyId: key.accessKeyId });
  return { accessKeyId: key.accessKeyId, secretAccessKey };
}

describe("rotation with an overlap", () => {
  it("issues a second key beside the first, both work until the customer retires the old one", async () => {
    const { customerId, identity } = await newCustomer();
    const oldKey = await activeKey(identity.id);
    const oldCredentials = await credentialsOf(customerId, oldKey);
    const started = Date.now();

    await rotateAccessKey({ actor, customerId, overlap: true });
    const newKey = await activeKey(identity.id);
    const retiring = await db.accessKey.findUniqueOrThrow({ where: { id: oldKey.id } });
    expect(retiring.status).toBe("RETIRING");
    // The default overlap is seven days.
    expect(retiring.retireAfter!.getTime() - started).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect((await probe.keyIds(identity.userName)).sort()).toEqual([oldKey.accessKeyId, newKey.accessKeyId].sort());
    const newCredentials = await credentialsOf(customerId, newKey);
    expect(await probe.login(oldCredentials, ctx.region)).toBe("ok");
    expect(await probe.login(newCredentials, ctx.region)).toBe("ok");

    // A third key would exceed AWS's two: another overlapped rotation waits for the retirement.
    await expect(rotateAccessKey({ actor, customerId, overlap: true })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await probe.keyIds(identity.userName)).sort()).toEqual([oldKey.accessKeyId, newKey.accessKeyId].sort());
    expect(await db.accessKey.findUniqueOrThrow({ where: { id: newKey.id } })).toMatchObject({ status: "ACTIVE" });

    // Only the retiring key can be retired: the current one has no replacement.
    await expect(retireAccessKey({ actor, customerId, accessKeyId: newKey.accessKeyId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await retireAccessKey({ actor, customerId, accessKeyId: oldKey.accessKeyId });
    expect(await probe.keyIds(identity.userName)).toEqual([newKey.accessKeyId]);
    expect(await db.accessKey.findUniqueOrThrow({ where: { id: oldKey.id } })).toMatchObject({ status: "DELETED" });
    expect(await probe.login(oldCredentials, ctx.region)).toBe("InvalidClientTokenId");
    expect(await probe.login(newCredentials, ctx.region)).toBe("ok");
    // Retiring twice finds nothing to retire and changes nothing.
    await expect(retireAccessKey({ actor, customerId, accessKeyId: oldKey.accessKeyId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    await rotateAccessKey({ actor, customerId, overlap: true });
    expect(await probe.keyIds(identity.userName)).toHaveLength(2);
    const actions = (await db.auditEvent.findMany({ where: { customerId }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["access_key.replacement_requested", "access_key.retirement_confirmed", "aws.access_key.deleted"]));
  });

  it("retires the old key by itself once the overlap has ended", async () => {
    const { customerId, identity } = await newCustomer();
    const oldKey = await activeKey(identity.id);
    await rotateAccessKey({ actor, customerId, overlap: true });
    expect(await findDueKeyRetirements(new Date())).not.toContain(customerId);
    // A reconcile before the end keeps both keys.
    expect(await reconcileCustomer(customerId, actor)).toMatchObject({ ok: true });
    expect(await probe.keyIds(identity.userName)).toHaveLength(2);

    // Seven days later the minute sweep finds the key due, and the customer's reconcile deletes it.
    const later = new Date(Date.now() + 7 * 86_400_000 + 60_000);
    expect(await findDueKeyRetirements(later)).toContain(customerId);
    await db.accessKey.update({ where: { id: oldKey.id }, data: { retireAfter: new Date(Date.now() - 1000) } });
    expect(await reconcileCustomer(customerId, actor)).toMatchObject({ ok: true });
    const newKey = await activeKey(identity.id);
    expect(await probe.keyIds(identity.userName)).toEqual([newKey.accessKeyId]);
    expect(await findDueKeyRetirements(later)).not.toContain(customerId);
  });

  it("an immediate replacement during an overlap removes both old keys", async () => {
    const { customerId, identity } = await newCustomer();
    await rotateAccessKey({ actor, customerId, overlap: true });
    await rotateAccessKey({ actor, customerId, overlap: false });
    const current = await activeKey(identity.id);
    expect(await probe.keyIds(identity.userName)).toEqual([current.accessKeyId]);
    expect(await db.accessKey.count({ where: { identityId: identity.id, status: { not: "DELETED" } } })).toBe(1);
  });

  it("never retires another customer's key", async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const bOld = await activeKey(b.identity.id);
    await rotateAccessKey({ actor, customerId: b.customerId, overlap: true });
    await expect(retireAccessKey({ actor, customerId: a.customerId, accessKeyId: bOld.accessKeyId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await probe.keyIds(b.identity.userName)).toHaveLength(2);
  });
});

describe("revealing a secret", () => {
  it("never reveals one customer's key to another", async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const keyA = await activeKey(a.identity.id);

    const error = await revealSecret({ actor, customerId: b.customerId, accessKeyId: keyA.accessKeyId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "NOT_FOUND" });

    // B's attempt neither consumed A's secret nor wrote to A's audit trail.
    const stored = await db.accessKey.findUniqueOrThrow({ where: { id: keyA.id }, omit: { secretCiphertext: false } });
    expect(stored.secretCiphertext).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: "access_key.revealed", data: { path: ["accessKeyId"], equals: keyA.accessKeyId } } })).toBe(0);
    const secret = await revealSecret({ actor, customerId: a.customerId, accessKeyId: keyA.accessKeyId });
    expect(await probe.login({ accessKeyId: keyA.accessKeyId, secretAccessKey: secret.secretAccessKey }, ctx.region)).toBe("ok");
  });
});
