import { afterAll, describe, expect, inject, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { systemActor } from "@/lib/audit/actor";
import { deleteAccessKey } from "@/lib/aws/iam";
import { rotateAccessKey } from "@/lib/credentials/rotate-access-key";
import { db, disconnectDb } from "@/lib/db";
import { extendEntitlement } from "@/lib/entitlements/extend-entitlement";
import { readLiveAwsState } from "@/lib/entitlements/live-aws-state";
import { reprovisionEntitlement } from "@/lib/entitlements/reprovision-entitlement";
import { resumeEntitlement, suspendEntitlement } from "@/lib/entitlements/suspension";
import { revokeExpired } from "@/lib/provisioning/expire-entitlements";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const actor = systemActor("test");
const DAY = 86_400_000;

afterAll(async () => {
  await closeLockPool();
  await disconnectDb();
});

async function provisioned() {
  const { entitlement } = await aws.grantOnNewProduct("lifecycle");
  const product = await db.product.findUniqueOrThrow({ where: { id: entitlement.productId }, include: { repositories: true } });
  const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
  const keyIds = await probe.keyIds(identity.userName);
  return { entitlement, product, repo: product.repositories[0]!, identity, keyIds };
}

const converge = async (customerId: string) => expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
const actions = async (entitlementId: string) =>
  (await db.auditEvent.findMany({ where: { entitlementId }, orderBy: { id: "asc" } })).map((e) => e.action);

describe("an entitlement's life after the grant, on PostgreSQL and the AWS emulator", () => {
  it("suspends without deleting the customer's identity, and resumes with the same key", async () => {
    const { entitlement, product, repo, identity, keyIds } = await provisioned();

    const suspended = await suspendEntitlement({ actor, entitlementId: entitlement.id, reason: "unpaid invoice" });
    expect(suspended.changed).toBe(true);
    expect((await suspendEntitlement({ actor, entitlementId: entitlement.id })).changed).toBe(false);
    await converge(entitlement.customerId);

    expect(await probe.principals(repo)).toEqual([]);
    expect(await probe.userExists(identity.userName)).toBe(true);
    expect(await probe.keyIds(identity.userName)).toEqual(keyIds);
    expect((await checkPullAccess(entitlement.customerId, product.id)).allowed).toBe(false);
    const live = await readLiveAwsState(identity.userName, product.repositories, entitlement.customerId);
    expect(live.user?.arn).toBe(identity.arn);
    expect(live.keys.map((k) => k.accessKeyId)).toEqual(keyIds);
    expect(live.repositories).toEqual([{ id: repo.id, name: repo.name, region: repo.region, inStatement: false, inInlinePolicy: false }]);

    expect((await resumeEntitlement({ actor, entitlementId: entitlement.id })).changed).toBe(true);
    await converge(entitlement.customerId);
    expect(await probe.principals(repo)).toEqual([identity.arn]);
    expect(await probe.keyIds(identity.userName)).toEqual(keyIds);
    expect((await checkPullAccess(entitlement.customerId, product.id)).allowed).toBe(true);
    expect((await readLiveAwsState(identity.userName, product.repositories, entitlement.customerId)).repositories[0]!.inStatement).toBe(true);
    expect(await db.awsIdentity.count({ where: { customerId: entitlement.customerId } })).toBe(1);
    expect(await actions(entitlement.id)).toEqual(["entitlement.granted", "entitlement.suspended", "entitlement.resumed"]);
  });

  it("expires a suspended entitlement like an active one, deleting the kept identity", async () => {
    const { entitlement, identity } = await provisioned();
    await suspendEntitlement({ actor, entitlementId: entitlement.id });
    await converge(entitlement.customerId);

    const summary = await revokeExpired(new Date(entitlement.expiresAt.getTime() + DAY));
    expect(summary.errors).toEqual([]);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).status).toBe("EXPIRED");
    expect(await probe.userExists(identity.userName)).toBe(false);
  });

  it("extends without touching AWS, refuses to shorten, and revives an expired entitlement", async () => {
    const { entitlement, repo, identity } = await provisioned();
    const later = new Date(entitlement.expiresAt.getTime() + 30 * DAY);

    await expect(
      extendEntitlement({ actor, entitlementId: entitlement.id, input: { expiresAt: new Date(entitlement.expiresAt.getTime() - DAY).toISOString() } }),
    ).rejects.toThrow(/later than the current one/);
    await expect(extendEntitlement({ actor, entitlementId: entitlement.id, input: { expiresAt: "next tuesday" } })).rejects.toThrow(/ISO 8601/);
    await expect(extendEntitlement({ actor, entitlementId: entitlement.id, input: {} })).rejects.toThrow(/expiresAt is required/);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).expiresAt).toEqual(entitlement.expiresAt);

    const extended = await extendEntitlement({ actor, entitlementId: entitlement.id, input: { expiresAt: later.toISOString() } });
    expect(extended.entitlement).toMatchObject({ expiresAt: later, status: "ACTIVE", syncStatus: "SYNCED" });
    expect((await extendEntitlement({ actor, entitlementId: entitlement.id, input: { expiresAt: later.toISOString() } })).changed).toBe(false);

    // Expired and revoked by the job, then renewed: access comes back with a new identity.
    await revokeExpired(new Date(later.getTime() + DAY));
    expect(await probe.userExists(identity.userName)).toBe(false);
    const renewedTo = new Date(Date.now() + 400 * DAY);
    const revived = await extendEntitlement({ actor, entitlementId: entitlement.id, input: { expiresAt: renewedTo.toISOString() } });
    expect(revived.entitlement).toMatchObject({ status: "ACTIVE", syncStatus: "PENDING", endedAt: null, expiresAt: renewedTo });
    await converge(entitlement.customerId);
    const renewedIdentity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    expect(renewedIdentity.userName).not.toBe(identity.userName);
    expect(await probe.principals(repo)).toEqual([renewedIdentity.arn]);
    expect(await actions(entitlement.id)).toEqual(["entitlement.granted", "entitlement.extended", "entitlement.expired", "entitlement.extended"]);
  });

  it("re-provisions a key deleted behind the portal's back, and rotates a key on request", async () => {
    const { entitlement, identity, keyIds } = await provisioned();
    await deleteAccessKey(identity.userName, keyIds[0]!);

    expect(await reprovisionEntitlement({ actor, entitlementId: entitlement.id })).toEqual({ converged: true });
    const afterRepair = await probe.keyIds(identity.userName);
    expect(afterRepair).toHaveLength(1);
    expect(afterRepair[0]).not.toBe(keyIds[0]);
    expect(await db.accessKey.findFirstOrThrow({ where: { accessKeyId: keyIds[0] } })).toMatchObject({ status: "DELETED" });

    await rotateAccessKey({ actor, customerId: entitlement.customerId, overlap: false });
    const rotated = await probe.keyIds(identity.userName);
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).not.toBe(afterRepair[0]);
    expect(await db.accessKey.count({ where: { identityId: identity.id, status: "ACTIVE" } })).toBe(1);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).syncStatus).toBe("SYNCED");
  });
});
