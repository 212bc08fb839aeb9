import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { keyUsage } from "@/lib/credentials/key-usage";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";

const ctx = inject("integration");
const aws = awsAdmin(ctx);

afterAll(async () => {
  aws.destroy();
  await closePools();
});

describe("a customer's key activity", () => {
  it("is read from IAM: never before the first use, then when and where the key logged in", async () => {
    const { entitlement } = await aws.grantOnNewProduct("activity");
    const other = await aws.grantOnNewProduct("activity-other");
    const key = await db.accessKey.findFirstOrThrow({ where: { identity: { customerId: entitlement.customerId }, status: "ACTIVE" } });

    const never = [{ accessKeyId: key.accessKeyId, retiringUntil: null, lastUsedAt: null, service: null, region: null }];
    expect(await keyUsage(entitlement.customerId)).toEqual(never);

    const { secretAccessKey } = await revealSecret({ actor: systemActor("test"), customerId: entitlement.customerId, accessKeyId: key.accessKeyId });
    expect(await probe.login({ accessKeyId: key.accessKeyId, secretAccessKey }, ctx.region)).toBe("ok");
    // IAM is asked at most every five minutes per key; after that the login shows.
    expect(await keyUsage(entitlement.customerId)).toEqual(never);
    const [used] = await keyUsage(entitlement.customerId, Date.now() + 5 * 60_000 + 1);
    expect(used).toMatchObject({ accessKeyId: key.accessKeyId, service: "ecr", region: ctx.region });
    expect(used!.lastUsedAt).toBeInstanceOf(Date);

    // Only the customer's own keys are looked up.
    expect((await keyUsage(other.entitlement.customerId)).map((k) => k.accessKeyId)).not.toContain(key.accessKeyId);
  });
});
