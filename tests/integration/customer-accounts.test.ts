// Bring your own AWS account: the customer's account root is granted in the repository policies
// (under either grant strategy), with or without Pullgate's own IAM user, and withdrawn on removal
// and on revocation. Access is judged from AWS's policies by the independent evaluator.
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { systemActor } from "@/lib/audit/actor";
import { repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { registerCustomerAccount, removeCustomerAccount, setKeyAccess } from "@/lib/customers/customer-accounts";
import { proveCustomerAccount } from "@/lib/customers/prove-customer-account";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { downloadInstructions } from "@/lib/customers/download-instructions";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { evaluatePullAccess } from "@/lib/policy-evaluation";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { detectDrift } from "@/lib/provisioning/detect-drift";
import { PULL_STATEMENT_SID, REPOSITORY_POLICY_MAX_CHARS } from "@/lib/aws/pull-policy";
import { probe } from "../support/aws-probe";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { customerAwsAccount, existingAccountId, registerProvenAccount, scriptProof } from "../support/customer-aws-account";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";

const actor = systemActor("test");
const { ctx, admin, product } = productOnNewRepositoryFixture();
// Keys and own accounts only: with pull tokens offered, a customer would have a third way to pull.
beforeAll(async () => {
  const { id } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
  await db.product.update({ where: { id }, data: { accessModes: ["IAM_USER_KEY", "OWN_ACCOUNT"] } });
});

const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;

async function purchase(productSlug = product.slug) {
  const granted = await grantEntitlement({
    actor,
    source: "API",
    input: { customerEmail: `${unique("byo")}@example.com`, productSlug, expiresAt: inAYear() },
  });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  return granted.entitlement;
}

/** Whether a role in `accountId` whose own IAM allows pulls gets through the repository policy AWS holds. */
async function accountCanPull(accountId: string, repository: RepositoryRef) {
  const policy = await probe.policy(repository);
  const ownSide = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] };
  return evaluatePullAccess(
    {
      principalArn: `arn:aws:iam::${accountId}:role/ci`,
      principalAccountId: accountId,
      resourceArn: repositoryArn(repository, "aws"),
      resourceAccountId: repository.accountId,
    },
    { identity: [{ name: "customer's own policy", document: ownSide }], resource: policy ? { name: "repository policy", document: policy } : undefined },
  ).allowed;
}

describe("a customer's own AWS account", () => {
  it("is granted in the repository policy beside the customer's IAM user, once however often it is registered", async () => {
    const entitlement = await purchase();
    const own = await customerAwsAccount();
    const accountId = own.accountId;
    const spelled = `${accountId.slice(0, 4)}-${accountId.slice(4, 8)}-${accountId.slice(8)}`;
    expect(await registerCustomerAccount({ actor, customerId: entitlement.customerId, accountId: spelled })).toMatch(/Prove it is yours/);
    expect(await probe.principals(product.repo)).not.toContain(root(accountId));
    const { nonce } = await db.accountProofChallenge.findFirstOrThrow({ where: { customerId: entitlement.customerId, accountId, usedAt: null } });
    expect(await proveCustomerAccount({ actor, customerId: entitlement.customerId, proof: await scriptProof(own.credentials, nonce) })).toMatch(/can pull your images now/);

    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    expect(await probe.principals(product.repo)).toEqual(expect.arrayContaining([identity.arn, root(accountId)]));
    expect(await accountCanPull(accountId, product.repo)).toBe(true);
    expect(await accountCanPull(await existingAccountId(), product.repo)).toBe(false);
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).syncStatus).toBe("SYNCED");

    const before = { policy: await probe.policy(product.repo), events: await db.auditEvent.count({ where: { customerId: entitlement.customerId } }) };
    expect(await registerCustomerAccount({ actor, customerId: entitlement.customerId, accountId })).toMatch(/already registered/);
    expect(await probe.policy(product.repo)).toEqual(before.policy);
    expect(await db.auditEvent.count({ where: { customerId: entitlement.customerId } })).toBe(before.events);

    // What the database intended is what AWS holds: the drift audit finds nothing of this customer.
    const drift = await detectDrift();
    expect(drift.filter((f) => JSON.stringify(f).includes(accountId) || JSON.stringify(f).includes(entitlement.customerId))).toEqual([]);
  });

  it("pulls without Pullgate keys: turning keys off deletes the IAM user and keeps the account's grant", async () => {
    const entitlement = await purchase();
    const customerId = entitlement.customerId;
    const own = await customerAwsAccount();
    const accountId = own.accountId;
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });

    await expect(setKeyAccess({ actor, customerId, enabled: false })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await admin.customerUserNames(customerId)).toEqual([identity.userName]);
    // An unproven account is no way to pull yet.
    await registerCustomerAccount({ actor, customerId, accountId });
    await expect(setKeyAccess({ actor, customerId, enabled: false })).rejects.toMatchObject({ code: "CONFLICT" });

    await registerProvenAccount(customerId, own);
    await setKeyAccess({ actor, customerId, enabled: false });
    expect(await admin.customerUserNames(customerId)).toEqual([]);
    const principals = await probe.principals(product.repo);
    expect(principals).toContain(root(accountId));
    expect(principals).not.toContain(identity.arn);
    expect(await db.awsIdentity.findUnique({ where: { liveFor: customerId } })).toBeNull();
    // Converging again changes nothing.
    const policy = await probe.policy(product.repo);
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await probe.policy(product.repo)).toEqual(policy);

    // The access check answers from AWS: no IAM user, but the customer's own account can pull.
    const { id: productId } = await db.product.findUniqueOrThrow({ where: { slug: product.slug } });
    const access = await checkPullAccess(customerId, productId);
    expect(access).toMatchObject({ allowed: true, principal: null, accounts: [{ accountId, allowed: true }] });
    expect(access.repositories.every((r) => !r.allowed)).toBe(true);
    expect(access.accounts[0]!.repositories[0]!.reason).toMatch(/PullgateCustomerPull/);

    // The only way left to pull cannot be removed.
    const [account] = await db.customerAccount.findMany({ where: { liveFor: customerId } });
    await expect(removeCustomerAccount({ actor, customerId, customerAccountId: account!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await probe.principals(product.repo)).toContain(root(accountId));

    await setKeyAccess({ actor, customerId, enabled: true });
    const renewed = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    expect(await admin.customerUserNames(customerId)).toEqual([renewed.userName]);
    await removeCustomerAccount({ actor, customerId, customerAccountId: account!.id });
    const after = await probe.principals(product.repo);
    expect(after).toContain(renewed.arn);
    expect(after).not.toContain(root(accountId));
    expect(await accountCanPull(accountId, product.repo)).toBe(false);
  });

  it("goes into the repository policy even where customers' users are granted by identity policies", async () => {
    const { repo: viaIdentity, product: identityProduct } = await admin.productOnNewRepository();
    await db.repository.updateMany({ where: { productId: identityProduct.id }, data: { strategy: "IDENTITY_POLICY" } });
    const entitlement = await purchase(identityProduct.slug);
    const { accountId } = await registerProvenAccount(entitlement.customerId);
    // The user is served by its inline policy; another account can only be named by the resource.
    expect(await probe.principals(viaIdentity)).toEqual([root(accountId)]);
    expect(await accountCanPull(accountId, viaIdentity)).toBe(true);
  });

  it("waits, refused with the reason, while the repository policy has no room for it, and nobody else's change is held up", async () => {
    const { repo, product: identityProduct } = await admin.productOnNewRepository({ foreignStatement: FOREIGN_STATEMENT });
    await db.repository.updateMany({ where: { productId: identityProduct.id }, data: { strategy: "IDENTITY_POLICY" } });
    const first = await purchase(identityProduct.slug);
    const { accountId: firstAccount } = await registerProvenAccount(first.customerId);
    expect(await probe.principals(repo)).toEqual([root(firstAccount)]);

    // The vendor's own statement grows until the policy has no room for another account.
    const policy = await probe.policy(repo);
    const pullgate = policy.Statement.find((s: { Sid?: string }) => s.Sid === PULL_STATEMENT_SID);
    const padded = (padding: number) => ({ ...FOREIGN_STATEMENT, Condition: { StringEquals: { "aws:PrincipalTag/team": "t".repeat(padding) } } });
    const size = (padding: number) => JSON.stringify({ Version: "2012-10-17", Statement: [padded(padding), pullgate] }).length;
    await admin.setRepositoryPolicy(repo.name, { Version: "2012-10-17", Statement: [padded(REPOSITORY_POLICY_MAX_CHARS - 20 - size(0)), pullgate] });

    const second = await purchase(identityProduct.slug);
    const { accountId: secondAccount, message } = await registerProvenAccount(second.customerId);
    expect(message).toMatch(/could not|failed|retr/i);
    const failed = await db.entitlement.findUniqueOrThrow({ where: { id: second.id } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(/repository policy is full: naming it would pass the 10,240 characters ECR allows/);
    expect(await probe.principals(repo)).toEqual([root(firstAccount)]);
    // Its IAM user pulls through its inline policy meanwhile.
    expect((await checkPullAccess(second.customerId, identityProduct.id)).allowed).toBe(true);

    // A revocation is never held up by it, and makes the room it waits for.
    await revokeEntitlement({ actor, entitlementId: first.id, reason: "test" });
    // The same write that takes the first account out names the waiting one.
    expect(await convergeCustomer(first.customerId, actor)).toEqual({ ok: true });
    expect(await probe.principals(repo)).toEqual([root(secondAccount)]);
    expect(await convergeCustomer(second.customerId, actor)).toEqual({ ok: true });
    expect((await db.entitlement.findUniqueOrThrow({ where: { id: second.id } })).syncStatus).toBe("SYNCED");
  });

  it("loses access with the entitlement, like the customer's user", async () => {
    const entitlement = await purchase();
    const { accountId } = await registerProvenAccount(entitlement.customerId);
    await revokeEntitlement({ actor, entitlementId: entitlement.id, reason: "test" });
    expect(await convergeCustomer(entitlement.customerId, actor)).toEqual({ ok: true });
    expect(await probe.principals(product.repo)).not.toContain(root(accountId));
    expect(await admin.customerUserNames(entitlement.customerId)).toEqual([]);
    // The registration stays: a renewal grants the account again.
    expect(await db.customerAccount.count({ where: { liveFor: entitlement.customerId } })).toBe(1);
  });

  it("is handed one policy for every product it may pull, which the access check judges as handed out", async () => {
    const first = await purchase();
    const other = await admin.productOnNewRepository();
    const { email } = await db.user.findFirstOrThrow({ where: { customerId: first.customerId, role: "CUSTOMER_OWNER" }, select: { email: true } });
    const second = await grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug: other.slug, expiresAt: inAYear() } });
    expect(second.entitlement.customerId).toBe(first.customerId);
    expect(await convergeCustomer(first.customerId, actor)).toEqual({ ok: true });
    const { accountId } = await registerProvenAccount(first.customerId);

    const { blocks } = downloadInstructions(await customerDownloads(first.customerId));
    const policyStep = blocks.find((b) => b.id === "own-account")!.steps.find((s) => s.id === "own-account-policy")!;
    const handedOut = JSON.parse(/<<'EOF'\n([\s\S]*)\nEOF\n/.exec(policyStep.command)![1]!) as object;
    for (const repository of [product.repo, other.repo]) {
      const vendorSide = await probe.policy(repository);
      const decision = evaluatePullAccess(
        { principalArn: `arn:aws:iam::${accountId}:role/ci`, principalAccountId: accountId, resourceArn: repositoryArn(repository, "aws"), resourceAccountId: repository.accountId },
        { identity: [{ name: "handed out", document: handedOut }], resource: { name: "repository policy", document: vendorSide } },
      );
      expect(decision.allowed, repository.name).toBe(true);
    }
    const access = await checkPullAccess(first.customerId, other.product.id);
    expect(access.accounts).toEqual([expect.objectContaining({ accountId, allowed: true })]);
  });

  it("refuses bad account ids, the vendor's own account and more than five, changing nothing", async () => {
    const entitlement = await purchase();
    const customerId = entitlement.customerId;
    const policy = await probe.policy(product.repo);
    await expect(registerCustomerAccount({ actor, customerId, accountId: "12345" })).rejects.toBeInstanceOf(ZodError);
    await expect(registerCustomerAccount({ actor, customerId, accountId: "abcdefghijkl" })).rejects.toBeInstanceOf(ZodError);
    await expect(registerCustomerAccount({ actor, customerId, accountId: ctx.accountId })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await probe.policy(product.repo)).toEqual(policy);
    for (let i = 0; i < 5; i++) await registerCustomerAccount({ actor, customerId, accountId: (await existingAccountId()) });
    await expect(registerCustomerAccount({ actor, customerId, accountId: (await existingAccountId()) })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.customerAccount.count({ where: { liveFor: customerId } })).toBe(5);
  });

  it("never removes another customer's account", async () => {
    const a = await purchase();
    const b = await purchase();
    const { accountId } = await registerProvenAccount(b.customerId);
    const [bAccount] = await db.customerAccount.findMany({ where: { liveFor: b.customerId } });
    await expect(removeCustomerAccount({ actor, customerId: a.customerId, customerAccountId: bAccount!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await probe.principals(product.repo)).toContain(root(accountId));
  });
});
