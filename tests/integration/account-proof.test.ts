// A customer's own AWS account is granted, and credited with pulls, only once its customer proved
// control of it: a GetCallerIdentity request signed by the account's credentials over a one-time
// nonce, which Pullgate sends to its own STS endpoint (the oracle in front of the emulator here).
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ingestPulls, recentPulls } from "@/lib/activity/ingest-pulls";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { systemActor } from "@/lib/audit/actor";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { registerCustomerAccount } from "@/lib/customers/customer-accounts";
import { getCustomerAccountsView } from "@/lib/customers/customer-accounts-view";
import { proveCustomerAccount, startAccountProof } from "@/lib/customers/prove-customer-account";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { probe } from "../support/aws-probe";
import { customerAwsAccount, customProof, existingAccountId, proofTarget, scriptProof } from "../support/customer-aws-account";
import { productOnNewRepositoryFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";

const actor = systemActor("test");
const { ctx, admin, product } = productOnNewRepositoryFixture();
const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;

async function purchase(productSlug = product.slug, customerEmail = `${unique("proof")}@example.com`) {
  const granted = await grantEntitlement({ actor, source: "API", input: { customerEmail, productSlug, expiresAt: inAYear() } });
  expect(await convergeCustomer(granted.entitlement.customerId, actor)).toEqual({ ok: true });
  return granted.entitlement;
}

async function openNonce(customerId: string, accountId: string) {
  const challenge = await db.accountProofChallenge.findFirstOrThrow({ where: { customerId, accountId, usedAt: null }, orderBy: { createdAt: "desc" } });
  return challenge.nonce;
}

const accountGrants = (accountId: string) => db.repositoryGrant.count({ where: { customerAccount: { accountId }, desired: true } });

/** A CloudTrail log file holding one pull from the account, ingested as the minute sweep does. */
async function pullFrom(accountId: string, repositoryName: string, image: string) {
  const record = {
    eventVersion: "1.08",
    eventID: `${Date.now().toString(16)}-${process.pid}-${unique("pull")}`,
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "ecr.amazonaws.com",
    eventName: "BatchGetImage",
    awsRegion: ctx.region,
    userIdentity: { type: "AssumedRole", accountId, accessKeyId: "ASIAEXAMPLE" },
    requestParameters: { registryId: ctx.accountId, repositoryName, imageIds: [{ imageTag: image }] },
    recipientAccountId: ctx.accountId,
  };
  const prefix = trailDayPrefix({ prefix: "", accountId: ctx.accountId, region: ctx.region, day: new Date() });
  await admin.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, `${prefix}${ctx.accountId}_CloudTrail_${ctx.region}_${Date.now()}_${unique("f")}.json.gz`, [record]);
  await ingestPulls();
}

describe("proof of control of a customer's own AWS account", () => {
  it("grants nothing, and credits no pull, to a customer that registers someone else's account id", async () => {
    const victim = await purchase();
    const victimAccount = await customerAwsAccount();
    const attacker = await purchase();
    expect(await registerCustomerAccount({ actor, customerId: attacker.customerId, accountId: victimAccount.accountId })).toMatch(/Prove it is yours/);

    expect(await probe.principals(product.repo)).not.toContain(root(victimAccount.accountId));
    expect(await accountGrants(victimAccount.accountId)).toBe(0);
    const { accounts } = await getCustomerAccountsView(attacker.customerId);
    expect(accounts).toEqual([expect.objectContaining({ accountId: victimAccount.accountId, proven: false, state: "no-access" })]);
    const access = await checkPullAccess(attacker.customerId, (await db.product.findUniqueOrThrow({ where: { slug: product.slug } })).id);
    expect(access.accounts).toEqual([expect.objectContaining({ accountId: victimAccount.accountId, allowed: false, proven: false, note: expect.stringMatching(/Unproven/) })]);

    // The victim's pulls are not the attacker's, and once the victim proves its account, they are the victim's.
    await pullFrom(victimAccount.accountId, product.repo.name, "victim-1");
    expect((await recentPulls(attacker.customerId)).map((p) => p.image)).not.toContain("victim-1");
    await registerCustomerAccount({ actor, customerId: victim.customerId, accountId: victimAccount.accountId });
    await proveCustomerAccount({ actor, customerId: victim.customerId, proof: await scriptProof(victimAccount.credentials, await openNonce(victim.customerId, victimAccount.accountId)) });
    await pullFrom(victimAccount.accountId, product.repo.name, "victim-2");
    expect((await recentPulls(victim.customerId)).map((p) => p.image)).toContain("victim-2");
    expect((await recentPulls(attacker.customerId)).map((p) => p.image)).not.toContain("victim-2");
    // The attacker's registration is still unproven and granted nothing.
    expect(await db.repositoryGrant.count({ where: { customerId: attacker.customerId, customerAccountId: { not: null } } })).toBe(0);
  });

  it("is proven by the command the accounts page shows, run with credentials of the account, and then granted", async () => {
    const entitlement = await purchase();
    const customerId = entitlement.customerId;
    const own = await customerAwsAccount();
    await registerCustomerAccount({ actor, customerId, accountId: own.accountId });
    expect(await probe.principals(product.repo)).not.toContain(root(own.accountId));

    const [shown] = (await getCustomerAccountsView(customerId)).accounts;
    expect(shown!.proof!.host).toBe(proofTarget().host);
    expect(shown!.proof!.command).toContain(await openNonce(customerId, own.accountId));
    const dir = await mkdtemp(path.join(tmpdir(), "proof-"));
    const env = { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: own.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: own.credentials.secretAccessKey, AWS_SESSION_TOKEN: own.credentials.sessionToken } as unknown as NodeJS.ProcessEnv;
    await promisify(execFile)("bash", ["-c", shown!.proof!.command], { cwd: dir, env });
    const proof = await readFile(path.join(dir, "proof.json"), "utf8");
    expect(proof).not.toContain(own.credentials.secretAccessKey);

    expect(await proveCustomerAccount({ actor, customerId, proof })).toMatch(/proven and can pull your images now/);
    const account = await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } });
    expect(account.provenAt).not.toBeNull();
    expect(account.provenBy).toContain(own.accountId);
    expect(await probe.principals(product.repo)).toContain(root(own.accountId));
    expect(await db.auditEvent.count({ where: { customerId, action: "customer_account.proven" } })).toBe(1);
    expect((await getCustomerAccountsView(customerId)).accounts).toEqual([expect.objectContaining({ proven: true, proof: null, state: "granted" })]);

    // The same proof again is refused: its nonce is spent.
    await expect(proveCustomerAccount({ actor, customerId, proof })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/not open/) });
  });

  it("refuses a wrong, another customer's, expired or spent nonce, an unsigned nonce, another action, another host and another account", async () => {
    const entitlement = await purchase();
    const customerId = entitlement.customerId;
    const own = await customerAwsAccount();
    const stranger = await customerAwsAccount();
    await registerCustomerAccount({ actor, customerId, accountId: own.accountId });
    const nonce = await openNonce(customerId, own.accountId);
    const refused = (proof: string, message: RegExp) => expect(proveCustomerAccount({ actor, customerId, proof })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(message) });

    // Refused before anything is sent or spent.
    await refused(await customProof(own.credentials, nonce, { signNonce: false }), /must sign the x-pullgate-proof-nonce header/);
    await refused(await customProof(own.credentials, nonce, { body: "Action=GetSessionToken&Version=2011-06-15" }), /exactly GetCallerIdentity/);
    await refused(await customProof(own.credentials, nonce, { url: "https://sts.amazonaws.com/" }), new RegExp(`signed for another host: sign it for ${proofTarget().host.replace(/\./g, "\\.")}`));
    await refused(await customProof(own.credentials, nonce, { region: "eu-west-1" }), /signed for the region/);
    await refused("{not json", /paste the JSON/);
    await refused(await customProof(own.credentials, "x".repeat(43)), /not open/);
    expect((await db.accountProofChallenge.findUniqueOrThrow({ where: { nonce } })).usedAt).toBeNull();

    // Another customer's nonce is not this customer's to spend.
    const other = await purchase();
    await registerCustomerAccount({ actor, customerId: other.customerId, accountId: own.accountId });
    await refused(await scriptProof(own.credentials, await openNonce(other.customerId, own.accountId)), /not open/);

    // Signed for another host and readdressed to Pullgate's: STS refuses the signature, and the nonce is spent.
    const readdressed = JSON.parse(await customProof(own.credentials, nonce, { url: "https://sts.amazonaws.com/" })) as { url: string; headers: Record<string, string> };
    readdressed.url = proofTarget().url;
    readdressed.headers.Host = proofTarget().host;
    await refused(JSON.stringify(readdressed), /refused the proof's signature/);
    await refused(await scriptProof(own.credentials, nonce), /not open/);

    // Credentials of another account prove nothing about this one.
    await startAccountProof({ actor, customerId, customerAccountId: (await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } })).id });
    await refused(await scriptProof(stranger.credentials, await openNonce(customerId, own.accountId)), new RegExp(`signed by credentials of account ${stranger.accountId}, not of ${own.accountId}`));

    // An expired nonce.
    await startAccountProof({ actor, customerId, customerAccountId: (await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } })).id });
    const late = await openNonce(customerId, own.accountId);
    await db.accountProofChallenge.update({ where: { nonce: late }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await refused(await scriptProof(own.credentials, late), /not open/);

    // A fresh nonce replaces the open one, which then proves nothing.
    await startAccountProof({ actor, customerId, customerAccountId: (await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } })).id });
    const replaced = await openNonce(customerId, own.accountId);
    await startAccountProof({ actor, customerId, customerAccountId: (await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } })).id });
    await refused(await scriptProof(own.credentials, replaced), /not open/);

    expect((await db.customerAccount.findFirstOrThrow({ where: { liveFor: customerId } })).provenAt).toBeNull();
    expect(await probe.principals(product.repo)).not.toContain(root(own.accountId));
    expect(await probe.principals(product.repo)).not.toContain(root(stranger.accountId));
  });

  it("spends a nonce once when two proofs race for it", async () => {
    const entitlement = await purchase();
    const own = await customerAwsAccount();
    await registerCustomerAccount({ actor, customerId: entitlement.customerId, accountId: own.accountId });
    const proof = await scriptProof(own.credentials, await openNonce(entitlement.customerId, own.accountId));
    const results = await Promise.allSettled([1, 2, 3].map(() => proveCustomerAccount({ actor, customerId: entitlement.customerId, proof })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { customerId: entitlement.customerId, action: "customer_account.proven" } })).toBe(1);
  });

  it("keeps an account registered before proofs in the grants it has, and grants it nothing new until proven", async () => {
    const entitlement = await purchase();
    const customerId = entitlement.customerId;
    const legacy = await customerAwsAccount();
    // As the migration leaves it: registered and granted before proofs existed, unproven now.
    await registerCustomerAccount({ actor, customerId, accountId: legacy.accountId });
    await db.customerAccount.updateMany({ where: { liveFor: customerId }, data: { provenAt: new Date() } });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    await db.customerAccount.updateMany({ where: { liveFor: customerId }, data: { provenAt: null } });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await probe.principals(product.repo)).toContain(root(legacy.accountId));

    // A second product: the customer's user gets it, the unproven account does not.
    const second = await admin.productOnNewRepository();
    const { email } = await db.user.findFirstOrThrow({ where: { customerId, role: "CUSTOMER_OWNER" }, select: { email: true } });
    await purchase(second.slug, email);
    expect(await probe.principals(product.repo)).toContain(root(legacy.accountId));
    expect(await probe.principals(second.repo)).not.toContain(root(legacy.accountId));
    const access = await checkPullAccess(customerId, second.product.id);
    expect(access.accounts).toEqual([expect.objectContaining({ accountId: legacy.accountId, allowed: false, proven: false })]);
    const [shown] = (await getCustomerAccountsView(customerId)).accounts;
    expect(shown).toMatchObject({ proven: false, state: "granted" });

    // Proven, it gets every product.
    const [account] = await db.customerAccount.findMany({ where: { liveFor: customerId } });
    await startAccountProof({ actor, customerId, customerAccountId: account!.id });
    expect(await proveCustomerAccount({ actor, customerId, proof: await scriptProof(legacy.credentials, await openNonce(customerId, legacy.accountId)) })).toMatch(/proven/);
    expect(await probe.principals(second.repo)).toContain(root(legacy.accountId));
  });

  it("refuses a proof for an account id that is not the customer's to prove", async () => {
    const entitlement = await purchase();
    const accountId = await existingAccountId();
    await expect(startAccountProof({ actor, customerId: entitlement.customerId, customerAccountId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await accountGrants(accountId)).toBe(0);
  });
});
