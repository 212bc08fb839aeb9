import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { newSealedTotpSecret, totpSecretAad } from "@/lib/auth/mfa/totp";
import { clientSecretAad, sealClientSecret } from "@/lib/auth/sso/sealed-client-secret";
import { rotateMasterKey } from "@/lib/credentials/rotate-master-key";
import { open, type Keyring } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";

const ctx = inject("integration");
const original = { id: "k1", key: Buffer.from(ctx.masterKey, "base64") };
// Configured as a previous key for every file (integration-env.ts): rows re-wrapped under it
// still open for the files running meanwhile.
const next = { id: "k2", key: Buffer.from(ctx.nextMasterKey, "base64") };

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

    // A TOTP secret and an SSO client secret, sealed under the configured key like every other.
    const customer = await db.customer.create({ data: { name: `Rotation ${randomUUID()}` } });
    const user = await db.user.create({ data: { email: `rotate-${randomUUID()}@example.com`, role: "CUSTOMER_OWNER", customerId: customer.id } });
    const totp = newSealedTotpSecret(user.id);
    await db.user.update({ where: { id: user.id }, data: { totpSecretCiphertext: totp.ciphertext, totpSecretKeyId: totp.keyId } });
    const scope = `customer:${customer.id}`;
    const sealed = sealClientSecret("client-secret-to-rotate", scope);
    await db.ssoConnection.create({
      data: { scope, customerId: customer.id, issuer: "https://idp.example.com", clientId: "c", clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId, defaultRole: "CUSTOMER_MEMBER" },
    });

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
    const onlyNext = { current: next, previous: [] };
    const rotatedUser = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(rotatedUser.totpSecretKeyId).toBe("k2");
    expect(open(rotatedUser.totpSecretCiphertext!, "k2", totpSecretAad(user.id), onlyNext)).toBe(open(totp.ciphertext, totp.keyId, totpSecretAad(user.id)));
    const connection = await db.ssoConnection.findUniqueOrThrow({ where: { scope } });
    expect(connection.clientSecretKeyId).toBe("k2");
    expect(open(connection.clientSecretCiphertext, "k2", clientSecretAad(scope), onlyNext)).toBe("client-secret-to-rotate");
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
