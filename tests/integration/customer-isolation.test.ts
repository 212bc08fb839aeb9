// Customer A reaches nothing of customer B: not B's key secret, not B's users, not B's downloads,
// whatever ids A puts in a form. Every portal action runs as A against B's real rows.
import { afterAll, describe, expect, inject, it } from "vitest";
import { retireAccessKeyAction, revealSecretAction, rotateAccessKeyAction } from "@/app/(customer)/portal/actions";
import { removeAccountAction } from "@/app/(customer)/portal/accounts/actions";
import { removeTeamUserAction } from "@/app/(customer)/portal/team/actions";
import { systemActor } from "@/lib/audit/actor";
import { registerCustomerAccount } from "@/lib/customers/customer-accounts";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";
import { signInAs } from "../support/signed-in-session";
import { existingAccountId } from "../support/customer-aws-account";

const ctx = inject("integration");
const aws = awsAdmin(ctx);

afterAll(async () => {
  aws.destroy();
  await closePools();
});

async function provisionedCustomer(prefix: string) {
  const { entitlement } = await aws.grantOnNewProduct(prefix);
  const owner = await db.user.findFirstOrThrow({ where: { customerId: entitlement.customerId } });
  const key = await db.accessKey.findFirstOrThrow({ where: { identity: { customerId: entitlement.customerId }, status: "ACTIVE" } });
  return { customerId: entitlement.customerId, owner, accessKeyId: key.accessKeyId };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("one customer against another's rows", () => {
  it("refuses every portal action aimed at the other customer and shows none of its data", async () => {
    const a = await provisionedCustomer("isolation-a");
    const b = await provisionedCustomer("isolation-b");
    const bAccountId = await existingAccountId();
    await registerCustomerAccount({ actor: systemActor("test"), customerId: b.customerId, accountId: bAccountId });
    const [bAccount] = await db.customerAccount.findMany({ where: { liveFor: b.customerId } });
    const snapshot = () =>
      Promise.all([
        db.accessKey.findMany({ where: { identity: { customerId: b.customerId } }, orderBy: { id: "asc" }, omit: { secretCiphertext: false } }),
        db.user.findMany({ where: { customerId: b.customerId }, orderBy: { id: "asc" } }),
        db.auditEvent.count({ where: { customerId: b.customerId } }),
        db.customerAccount.findMany({ where: { customerId: b.customerId }, orderBy: { id: "asc" } }),
      ]);
    const before = await snapshot();

    signInAs(a.owner);
    expect(await revealSecretAction(null, form({ accessKeyId: b.accessKeyId }))).toEqual({ ok: false, error: "Access key not found" });
    expect(await removeTeamUserAction(b.owner.id)).toMatchObject({ ok: false });
    expect(await retireAccessKeyAction(null, form({ accessKeyId: b.accessKeyId }))).toEqual({ ok: false, error: "There is no retiring key with that id" });
    expect(await removeAccountAction(bAccount!.id)).toEqual({ ok: false, error: "That AWS account is not registered" });
    // A's own key rotation touches A's keys only.
    expect(await rotateAccessKeyAction()).toMatchObject({ ok: true });
    expect(await snapshot()).toEqual(before);

    const downloads = JSON.stringify(await customerDownloads(a.customerId));
    expect(downloads).not.toContain(b.accessKeyId);
    expect(downloads).not.toContain(b.customerId);
    expect(downloads).not.toContain(bAccountId);

    // The same reveal as B works: the refusal was about the owner, not the key.
    signInAs(b.owner);
    expect(await revealSecretAction(null, form({ accessKeyId: b.accessKeyId }))).toMatchObject({ ok: true, data: { accessKeyId: b.accessKeyId } });
  });
});
