import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { replaceAccessKey } from "@/lib/credentials/replace-access-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { AppError } from "@/lib/errors";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { sleep } from "../support/deadline";
import { inAYear, unique } from "../support/seed";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

const ctx = inject("integration");
const actor = systemActor("test");
const admin = awsAdmin(ctx);

let repo: RepositoryRef;
let slug: string;

beforeAll(async () => {
  ({ repo, slug } = await admin.productOnNewRepository());
});

afterAll(async () => {
  admin.destroy();
  await closePools();
});

async function newCustomer() {
  const granted = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: `${unique("keys")}@example.com`, productSlug: slug, expiresAt: inAYear() },
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

describe("access key replacement", () => {
  it("disables the old key, issues a working new one and never holds more than two", async () => {
    const { customerId, identity } = await newCustomer();
    const oldKey = await activeKey(identity.id);
    const oldSecret = await revealSecret({ actor, customerId, accessKeyId: oldKey.accessKeyId });
    const oldCredentials = { accessKeyId: oldKey.accessKeyId, secretAccessKey: oldSecret.secretAccessKey };
    expect(await probe.login(oldCredentials, ctx.region)).toBe("ok");

    const stop = sampleKeyCount(identity.userName);
    await replaceAccessKey({ actor, customerId });
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
    expect(await probe.principals(repo)).toContain(identity.arn);
    const actions = (await db.auditEvent.findMany({ where: { customerId }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["access_key.replacement_requested", "aws.access_key.deleted", "aws.access_key.created"]));
  });

  it("keeps exactly one key in AWS across repeated replacements", async () => {
    const { customerId, identity } = await newCustomer();
    const seen = [(await activeKey(identity.id)).accessKeyId];
    const stop = sampleKeyCount(identity.userName);
    for (let i = 0; i < 3; i++) {
      await replaceAccessKey({ actor, customerId });
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
    await expect(replaceAccessKey({ actor, customerId: customer.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
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
