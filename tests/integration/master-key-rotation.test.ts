import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { rotateMasterKey } from "@/lib/credentials/rotate-master-key";
import { open, type Keyring } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";

const ctx = inject("integration");
const original = { id: "k1", key: Buffer.from(ctx.masterKey, "base64") };
const next = { id: "k2", key: randomBytes(32) };

afterAll(async () => {
  // Other files reveal secrets with the configured key: leave every row as they expect it.
  await rotateMasterKey({ current: original, previous: [next] });
  await closePools();
});

describe("master key rotation", () => {
  it("re-wraps stored secrets under the new key, once, and they still open to a working key", async () => {
    const admin = awsAdmin(ctx);
    const granted = await admin.grantOnNewProduct("rotate");
    admin.destroy();

    const rotated: Keyring = { current: next, previous: [original] };
    expect((await rotateMasterKey(rotated)).rewrapped).toBeGreaterThanOrEqual(1);
    expect((await rotateMasterKey(rotated)).rewrapped).toBe(0);

    const row = await db.accessKey.findFirstOrThrow({
      where: { identity: { customerId: granted.entitlement.customerId }, status: "ACTIVE" },
      omit: { secretCiphertext: false },
    });
    expect(row.secretKeyId).toBe("k2");
    const secretAccessKey = open(row.secretCiphertext!, row.secretKeyId!, row.accessKeyId, { current: next, previous: [] });
    expect(await probe.login({ accessKeyId: row.accessKeyId, secretAccessKey }, ctx.region)).toBe("ok");
    expect(await db.accessKey.count({ where: { secretCiphertext: { not: null }, secretKeyId: { not: "k2" } } })).toBe(0);
  });

  it("re-wraps every other secret past one it cannot open, and names that one", async () => {
    const admin = awsAdmin(ctx);
    const granted = await admin.grantOnNewProduct("rotate-damaged");
    admin.destroy();
    // A row written by hand (or damaged) that no configured key opens.
    const damaged = await db.webhookEndpoint.create({
      data: { id: randomUUID(), url: "https://hooks.example.com/damaged", secretCiphertext: "not-a-sealed-secret", secretKeyId: "k1" },
    });
    try {
      const result = await rotateMasterKey({ current: next, previous: [original] });
      expect(result.unreadable).toEqual([{ kind: "webhook endpoint", id: damaged.id }]);
      const row = await db.accessKey.findFirstOrThrow({
        where: { identity: { customerId: granted.entitlement.customerId }, status: "ACTIVE" },
      });
      expect(row.secretKeyId).toBe("k2");
    } finally {
      await db.webhookEndpoint.delete({ where: { id: damaged.id } });
    }
  });
});
