import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { portalAccount } from "@/lib/aws/sts";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db, disconnectDb } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { probe } from "../support/aws-probe";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { createProduct, inAYear, unique } from "../support/seed";
import { welcomeDueCustomers } from "@/lib/notices/welcome-customer";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

const ctx = inject("integration");
const actor = systemActor("test");

afterAll(async () => {
  await closeLockPool();
  await disconnectDb();
});

describe("a purchase and its revocation, on PostgreSQL and the AWS emulator", () => {
  it("grants a working key and pull access, then takes both away", async () => {
    const product = await createProduct({
      accountId: ctx.accountId,
      region: ctx.region,
      repositories: ["acme/analytics-server", "acme/analytics-worker"],
    });
    const [server, worker] = product.repositories;
    const email = `${unique("buyer")}@example.com`;

    const granted = await grantEntitlement({
      actor,
      source: "API",
      input: { customerEmail: email, productSlug: product.slug, expiresAt: inAYear(), externalRef: unique("order") },
    });
    expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
    // The lifecycle pass welcomes the new customer (the worker does so right after its job).
    await welcomeDueCustomers();

    const entitlement = await db.entitlement.findUniqueOrThrow({ where: { id: granted.entitlement.id } });
    expect(entitlement.syncStatus).toBe("SYNCED");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    expect(identity.arn).toBe(`arn:aws:iam::${ctx.accountId}:user/pullgate/${identity.userName}`);
    // The partition in that ARN is the one read from STS (moto's is always aws).
    expect(await portalAccount()).toEqual({ accountId: ctx.accountId, partition: "aws" });

    // The principal is in both repositories; the vendor's own statement is untouched.
    expect(await probe.principals(server!)).toEqual([identity.arn]);
    expect(await probe.principals(worker!)).toEqual([identity.arn]);
    expect((await probe.policy(server!)).Statement).toContainEqual(FOREIGN_STATEMENT);

    // The customer's key gets a registry token, as `aws ecr get-login-password` would.
    const key = await db.accessKey.findFirstOrThrow({ where: { identityId: identity.id, status: "ACTIVE" } });
    const secret = await revealSecret({ actor, customerId: entitlement.customerId, accessKeyId: key.accessKeyId });
    const credentials = { accessKeyId: key.accessKeyId, secretAccessKey: secret.secretAccessKey };
    expect(await probe.login(credentials, ctx.region)).toBe("ok");
    await expect(revealSecret({ actor, customerId: entitlement.customerId, accessKeyId: key.accessKeyId })).rejects.toThrow(
      /already shown/,
    );
    const stored = await db.accessKey.findUniqueOrThrow({ where: { id: key.id }, omit: { secretCiphertext: false } });
    expect(stored.secretCiphertext).toBeNull();

    const revoked = await revokeEntitlement({ actor, entitlementId: entitlement.id, reason: "test" });
    expect(await convergeCustomer(revoked.entitlement.customerId, actor)).toEqual({ ok: true });

    expect(await probe.principals(server!)).toEqual([]);
    expect(await probe.principals(worker!)).toEqual([]);
    expect((await probe.policy(server!)).Statement).toEqual([FOREIGN_STATEMENT]);
    expect(await probe.policy(worker!)).toBeNull();
    expect(await probe.userExists(identity.userName)).toBe(false);
    expect(await probe.login(credentials, ctx.region)).toBe("InvalidClientTokenId");

    const after = await db.awsIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(after).toMatchObject({ status: "DELETED", liveFor: null });
    const actions = (await db.auditEvent.findMany({ where: { customerId: entitlement.customerId }, orderBy: { id: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual([
      "entitlement.granted",
      "aws.user.created",
      "aws.access_key.created",
      "customer.welcomed",
      "access_key.revealed",
      "entitlement.revoked",
      "aws.user.deleted",
    ]);
  });
});
