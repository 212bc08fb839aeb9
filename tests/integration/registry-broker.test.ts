// Brokered registry credentials: a pull token exchanged for short-lived registry credentials,
// minted through the broker role with a session policy naming the customer's products. Every
// AWS call, and every pull made with the minted password, is judged by the tests' AWS oracle
// under the real policies (the broker role's, its boundary, the session policy, the deny keyed
// on the customer's source identity), with the registry token's real expiry.
import { describe, expect, it } from "vitest";
import { answerRegistryCredentials } from "@/lib/api/registry-credentials-route";
import { systemActor } from "@/lib/audit/actor";
import { BROKER_SESSION_SECONDS, REVOKED_SESSIONS_POLICY_NAME } from "@/lib/aws/broker-role";
import { registryHost, type RepositoryRef } from "@/lib/aws/ecr";
import { readRevokedSessions } from "@/lib/aws/registry-broker";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { expireDueEntitlements } from "@/lib/provisioning/expire-entitlements";
import { pruneBrokerDenies } from "@/lib/provisioning/broker-denies";
import { setProductAccessModes } from "@/lib/products/set-access-modes";
import { createPullToken, revokePullToken } from "@/lib/pull-tokens/pull-tokens";
import { pullTokenSetupView } from "@/lib/pull-tokens/pull-tokens-view";
import { registryCredentialsFor } from "@/lib/pull-tokens/registry-credentials";
import { setKeyAccess } from "@/lib/customers/customer-accounts";
import { removeUser } from "@/lib/users/remove-user";
import { registerWorkloadIdentity } from "@/lib/workload-identities/workload-identities";
import { workloadLogin } from "../support/aws-cli";
import { judgePullWithRegistryToken, registerOracleIssuer } from "../support/aws-oracle/oracle-proxy";
import { federatedProduct } from "../support/federated-product";
import { awsAdminFixture } from "../support/product-fixture";
import { createProduct, inAYear, unique } from "../support/seed";
import { workloadIssuer } from "../support/workload-tokens";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");
const ENDPOINT = "http://localhost/api/v1/registry/credentials";

type Answer = { status: number; headers: Headers; body: { credentials?: { registry: string; username: string; password: string; expiresAt: string }[]; error?: { code: string; message: string } } };

async function ask(token: string | null, body?: string, headers: Record<string, string> = { "content-type": "application/json" }): Promise<Answer> {
  const response = await answerRegistryCredentials(
    new Request(ENDPOINT, { method: "POST", headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body }),
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

/** A product on fresh repositories: identity-policy ones carry the product tag once converged, the other is named by ARN. */
async function product(strategy: "IDENTITY_POLICY" | "REPOSITORY_POLICY") {
  const repo = await admin.createRepository();
  const created = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [repo.name] });
  await db.repository.updateMany({ where: { productId: created.id }, data: { strategy, strategyReason: "test" } });
  return { ...created, repo };
}

/** A customer entitled to `products`, converged, with its owner and a pull token of the owner's. */
async function entitledCustomer(...products: { slug: string }[]) {
  const email = `${unique("broker")}@example.com`;
  const entitlements = [];
  for (const p of products) {
    entitlements.push((await grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug: p.slug, expiresAt: inAYear() } })).entitlement);
  }
  const customerId = entitlements[0]!.customerId;
  expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  const owner = await db.user.findFirstOrThrow({ where: { customerId, role: "CUSTOMER_OWNER" } });
  const ownerActor = { type: "USER" as const, id: owner.id, label: owner.email };
  const { token, id } = await createPullToken({ actor: ownerActor, customerId, input: { name: "ci" } });
  return { customerId, entitlements, owner, ownerActor, token, tokenId: id };
}

const pull = (password: string, repo: RepositoryRef) =>
  judgePullWithRegistryToken(ctx.awsEndpoint, { registryToken: password, region: repo.region, registryId: repo.accountId, repositoryName: repo.name });

describe("brokered registry credentials", () => {
  it("give a pull token the customer's registry for an hour at most, pulling exactly its products, cached until near expiry", async () => {
    const tagged = await product("IDENTITY_POLICY");
    const named = await product("REPOSITORY_POLICY");
    const other = await product("IDENTITY_POLICY");
    await entitledCustomer(other); // tags the other product's repository too
    const { customerId, token } = await entitledCustomer(tagged, named);

    const started = Date.now();
    const answer = await ask(token, "{}");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const [credentials, ...more] = answer.body.credentials!;
    expect(more).toEqual([]);
    expect(credentials).toMatchObject({ registry: registryHost(ctx.accountId, ctx.region), username: "AWS" });
    // The token lives as long as the session that minted it, not ECR's 12 hours.
    const expiresAt = Date.parse(credentials!.expiresAt);
    expect(expiresAt).toBeGreaterThan(started + (BROKER_SESSION_SECONDS - 120) * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + BROKER_SESSION_SECONDS * 1000);

    expect(await pull(credentials!.password, tagged.repo)).toEqual({ allowed: true });
    expect(await pull(credentials!.password, named.repo)).toEqual({ allowed: true });
    // Another customer's product: the session policy does not name it, whatever the role allows.
    expect(await pull(credentials!.password, other.repo)).toMatchObject({ allowed: false });

    // Docker asks on every pull: the same answer, no new session, until shortly before it expires.
    const again = await ask(token);
    expect(again.body.credentials).toEqual(answer.body.credentials);
    expect((await ask(token, JSON.stringify({ registry: credentials!.registry.toUpperCase() }))).body.credentials).toEqual(answer.body.credentials);
    expect((await ask(token, JSON.stringify({ registry: "999999999999.dkr.ecr.eu-west-1.amazonaws.com" }))).body).toEqual({ credentials: [] });
    expect((await db.customer.findUniqueOrThrow({ where: { id: customerId } })).brokeredUntil!.getTime()).toBeGreaterThanOrEqual(expiresAt);
  });

  it("end a revoked customer's outstanding credentials at once with a deny on its source identity, dropped once its last session expired", async () => {
    const p = await product("IDENTITY_POLICY");
    const { customerId, token, entitlements } = await entitledCustomer(p);
    const { password } = (await ask(token)).body.credentials![0]!;
    expect(await pull(password, p.repo)).toEqual({ allowed: true });

    await revokeEntitlement({ actor, entitlementId: entitlements[0]!.id });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect((await readRevokedSessions()).customers).toContain(customerId);
    expect(await pull(password, p.repo)).toMatchObject({ allowed: false, reason: expect.stringMatching(/explicit deny/) });
    // The token ended with the last entitlement.
    expect((await ask(token)).status).toBe(401);
    expect(await db.pullToken.findFirstOrThrow({ where: { customerId } })).toMatchObject({ revokedReason: "The organisation's last entitlement ended" });

    // Once the last session it could have made has expired, the deny goes (the minute sweep).
    await db.customer.update({ where: { id: customerId }, data: { brokeredUntil: new Date(Date.now() - 1000) } });
    await pruneBrokerDenies(actor);
    expect((await readRevokedSessions()).customers).not.toContain(customerId);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ brokerDenied: false });
    expect(await db.auditEvent.count({ where: { action: "aws.broker_sessions_denied", data: { path: ["denied"], array_contains: [customerId] } } })).toBe(1);
  });

  it("end one revoked token's credentials at their next pull with a deny on its session tag, the customer's other tokens pulling on, dropped once its last session expired", async () => {
    const p = await product("IDENTITY_POLICY");
    const { customerId, ownerActor, token, tokenId } = await entitledCustomer(p);
    const other = await createPullToken({ actor: ownerActor, customerId, input: { name: "cluster" } });
    const leaked = (await ask(token)).body.credentials![0]!;
    const kept = (await ask(other.token)).body.credentials![0]!.password;
    // Each token has sessions of its own, so a password of its own.
    expect(leaked.password).not.toBe(kept);
    for (const password of [leaked.password, kept]) expect(await pull(password, p.repo)).toEqual({ allowed: true });
    expect((await db.pullToken.findUniqueOrThrow({ where: { id: tokenId } })).brokeredUntil!.getTime()).toBeGreaterThanOrEqual(Date.parse(leaked.expiresAt));

    await revokePullToken({ actor: ownerActor, customerId, id: tokenId });
    expect(await pull(leaked.password, p.repo)).toMatchObject({ allowed: false, reason: expect.stringMatching(/explicit deny/) });
    expect(await pull(kept, p.repo)).toEqual({ allowed: true });
    const denied = await readRevokedSessions();
    expect(denied.tokens).toContain(tokenId);
    // The customer keeps its licence: it is not denied as a whole.
    expect(denied.customers).not.toContain(customerId);
    expect(await db.pullToken.findUniqueOrThrow({ where: { id: tokenId } })).toMatchObject({ brokerDenied: true });
    expect(await db.auditEvent.count({ where: { action: "aws.broker_sessions_denied", data: { path: ["deniedTokens"], array_contains: [tokenId] } } })).toBe(1);

    // A removed maker's token alike.
    const second = await db.user.create({ data: { email: `${unique("owner")}@example.com`, role: "CUSTOMER_OWNER", customerId } });
    const theirs = await createPullToken({ actor: { type: "USER", id: second.id, label: second.email }, customerId, input: { name: "leaver" } });
    const theirPassword = (await ask(theirs.token)).body.credentials![0]!.password;
    expect(await pull(theirPassword, p.repo)).toEqual({ allowed: true });
    await removeUser({ actor: ownerActor, customerId, userId: second.id });
    expect(await pull(theirPassword, p.repo)).toMatchObject({ allowed: false, reason: expect.stringMatching(/explicit deny/) });
    expect((await readRevokedSessions()).tokens).toContain(theirs.id);

    // A token revoked after it was checked gets no session: its brokered end is recorded only while it is live.
    const late = await createPullToken({ actor: ownerActor, customerId, input: { name: "late" } });
    await revokePullToken({ actor: ownerActor, customerId, id: late.id });
    await expect(registryCredentialsFor({ tokenId: late.id, customerId })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await db.pullToken.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ brokeredUntil: null, brokerDenied: false });

    // Once a revoked token's last session has expired, the minute sweep drops it.
    await db.pullToken.updateMany({ where: { id: { in: [tokenId, theirs.id] } }, data: { brokeredUntil: new Date(Date.now() - 1000) } });
    await pruneBrokerDenies(actor);
    const after = await readRevokedSessions();
    expect(after.tokens).not.toContain(tokenId);
    expect(after.tokens).not.toContain(theirs.id);
    expect(await db.pullToken.findMany({ where: { id: { in: [tokenId, theirs.id] } }, select: { brokerDenied: true } })).toEqual([{ brokerDenied: false }, { brokerDenied: false }]);
    expect(await pull(kept, p.repo)).toEqual({ allowed: true });
  });

  it("refuse what a stranger, a revoked or expired token, or a removed maker's token sends, with a clear 4xx and nothing minted", async () => {
    const p = await product("IDENTITY_POLICY");
    const { customerId, token, tokenId, ownerActor, owner } = await entitledCustomer(p);

    const none = await ask(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect((await ask("pgp_not-a-token")).status).toBe(401);
    expect((await ask(token, "not json")).status).toBe(422);
    expect((await ask(token, '{"registry": "x y"}')).status).toBe(422);
    expect((await ask(token, '{"registry": "a", "more": 1}')).status).toBe(422);
    expect((await ask(token, "{}", { "content-type": "text/plain" })).status).toBe(422);
    expect((await ask(token, JSON.stringify({ registry: "a".repeat(5_000) }))).status).toBe(413);

    // Rate-limited per token: the window's counter at the limit refuses the next request.
    await db.rateWindow.updateMany({ where: { key: `pull-token:${tokenId}` }, data: { count: 1_000 } });
    const limited = await ask(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    await db.rateWindow.deleteMany({ where: { key: `pull-token:${tokenId}` } });

    await revokePullToken({ actor: ownerActor, customerId, id: tokenId });
    expect((await ask(token)).status).toBe(401);
    await expect(revokePullToken({ actor: ownerActor, customerId, id: tokenId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const expiring = await createPullToken({ actor: ownerActor, customerId, input: { name: "short", expiresAt: new Date(Date.now() + 60_000) } });
    expect((await ask(expiring.token)).status).toBe(200);
    await db.pullToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await ask(expiring.token)).status).toBe(401);

    // Another customer's owner can neither revoke nor see this customer's tokens through its own scope.
    const stranger = await entitledCustomer(p);
    await expect(revokePullToken({ actor: stranger.ownerActor, customerId: stranger.customerId, id: expiring.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createPullToken({ actor: stranger.ownerActor, customerId, input: { name: "theirs" } })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // A member may not make tokens; a removed owner's tokens stop with them.
    const member = await db.user.create({ data: { email: `${unique("member")}@example.com`, role: "CUSTOMER_MEMBER", customerId } });
    await expect(createPullToken({ actor: { type: "USER", id: member.id, label: member.email }, customerId, input: { name: "mine" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const second = await db.user.create({ data: { email: `${unique("owner")}@example.com`, role: "CUSTOMER_OWNER", customerId } });
    const theirs = await createPullToken({ actor: { type: "USER", id: second.id, label: second.email }, customerId, input: { name: "leaver" } });
    expect((await ask(theirs.token)).status).toBe(200);
    await removeUser({ actor: ownerActor, customerId, userId: second.id });
    expect((await ask(theirs.token)).status).toBe(401);
    expect(await db.pullToken.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ revokedReason: "Its maker was removed from the organisation" });
    expect(owner.customerId).toBe(customerId);
    expect(await db.auditEvent.count({ where: { customerId, action: "pull_token.revoked" } })).toBe(2);
    expect(REVOKED_SESSIONS_POLICY_NAME).toBe("PullgateRevokedSessions");
  });
});

describe("access modes per product", () => {
  it("give a customer of a pull-token product no IAM user at all, and its tokens exactly that product", async () => {
    const keyless = await product("IDENTITY_POLICY");
    await setProductAccessModes({ actor, productId: keyless.id, input: { modes: ["BROKERED_TOKEN"], defaultMode: "BROKERED_TOKEN" } });
    const keyed = await product("IDENTITY_POLICY");
    await setProductAccessModes({ actor, productId: keyed.id, input: { modes: ["IAM_USER_KEY"], defaultMode: "IAM_USER_KEY" } });

    const { customerId, token } = await entitledCustomer(keyless);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ keyAccess: false });
    expect(await db.awsIdentity.count({ where: { customerId } })).toBe(0);
    const { password } = (await ask(token)).body.credentials![0]!;
    expect(await pull(password, keyless.repo)).toEqual({ allowed: true });

    // A product that offers keys only: its customers' tokens get nothing for it.
    const keyOnly = await entitledCustomer(keyed);
    expect(await db.awsIdentity.count({ where: { customerId: keyOnly.customerId, liveFor: keyOnly.customerId } })).toBe(1);
    const refused = await ask(keyOnly.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error!.message).toMatch(/offers pull tokens/);
    // The tokens' set-up names only what tokens reach: nothing for the key-only product.
    expect((await pullTokenSetupView(customerId)).registries.flatMap((r) => r.repositories)).toEqual([keyless.repo.name]);
    expect((await pullTokenSetupView(keyOnly.customerId)).registries).toEqual([]);
  });

  it("delete a customer's IAM user once its products stop offering keys, and let it turn keys off for pull tokens", async () => {
    const p = await product("IDENTITY_POLICY");
    const { customerId, ownerActor, tokenId } = await entitledCustomer(p);
    expect(await db.awsIdentity.count({ where: { liveFor: customerId } })).toBe(1);

    // Keys off needs another way to pull: a live pull token, for a product that offers them.
    await revokePullToken({ actor: ownerActor, customerId, id: tokenId });
    await expect(setKeyAccess({ actor: ownerActor, customerId, enabled: false })).rejects.toMatchObject({ code: "CONFLICT" });
    await createPullToken({ actor: ownerActor, customerId, input: { name: "cluster" } });
    expect(await setKeyAccess({ actor: ownerActor, customerId, enabled: false })).toMatch(/keys are off/);
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await db.awsIdentity.count({ where: { liveFor: customerId } })).toBe(0);
    await setKeyAccess({ actor: ownerActor, customerId, enabled: true });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await db.awsIdentity.count({ where: { liveFor: customerId } })).toBe(1);

    // The vendor withdraws keys from the product: the user goes through the reconcile path.
    expect(await setProductAccessModes({ actor, productId: p.id, input: { modes: ["BROKERED_TOKEN", "OWN_ACCOUNT"], defaultMode: "BROKERED_TOKEN" } })).toMatchObject({
      modes: ["BROKERED_TOKEN", "OWN_ACCOUNT"],
      customers: 1,
    });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await db.awsIdentity.count({ where: { liveFor: customerId } })).toBe(0);
    // And with no way to pull left but keys, keys cannot be turned off.
    await setProductAccessModes({ actor, productId: p.id, input: { modes: ["IAM_USER_KEY"], defaultMode: "IAM_USER_KEY" } });
    await expect(setKeyAccess({ actor: ownerActor, customerId, enabled: false })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("end a customer's workload role and pull tokens alike once its licence for a product offering both expires", async () => {
    const github = workloadIssuer("https://token.actions.githubusercontent.com");
    await registerOracleIssuer(ctx.awsEndpoint, github.issuer, github.jwks);
    const p = await federatedProduct(admin, ctx);
    const { customerId, ownerActor, token, entitlements } = await entitledCustomer(p);
    const subject = "repo:bigcorp/deploy:ref:refs/heads/main";
    await registerWorkloadIdentity({ actor: ownerActor, customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy", subject } });
    const { workloadRoleArn } = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
    const login = () => workloadLogin(ctx, workloadRoleArn!, github.token({ audience: "sts.amazonaws.com", subject }));
    const federated = await login();
    expect(federated).toHaveProperty("password");
    const brokered = (await ask(token)).body.credentials![0]!.password;
    const passwords = [(federated as { password: string }).password, brokered];
    for (const password of passwords) expect(await pull(password, p.repo)).toEqual({ allowed: true });

    // The licence runs out (no grace period): the revocation job's pass, then the customer's reconcile.
    await db.entitlement.update({ where: { id: entitlements[0]!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await expireDueEntitlements(new Date())).customers).toContain(customerId);
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlements[0]!.id } })).toMatchObject({ status: "EXPIRED" });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });

    // A valid token of the trusted workload: the role is gone, so AWS refuses it.
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ workloadRoleArn: null });
    expect(await login()).toEqual({ error: "AccessDenied" });
    // The pull token ended with the licence: refused before any session is asked for.
    const { brokeredUntil } = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
    const refused = await ask(token);
    expect(refused.status).toBe(401);
    expect(refused.body.credentials).toBeUndefined();
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ brokeredUntil });
    expect(await db.pullToken.findFirstOrThrow({ where: { customerId } })).toMatchObject({ revokedReason: "The organisation's last entitlement ended" });
    // And what either minted before stops pulling.
    for (const password of passwords) expect(await pull(password, p.repo)).toMatchObject({ allowed: false });
  });

  it("refuse a choice that offers nothing, or a default not offered, and change nothing", async () => {
    const p = await product("IDENTITY_POLICY");
    await expect(setProductAccessModes({ actor, productId: p.id, input: { modes: [], defaultMode: "IAM_USER_KEY" } })).rejects.toThrow(/at least one/);
    await expect(setProductAccessModes({ actor, productId: p.id, input: { modes: ["OWN_ACCOUNT"], defaultMode: "IAM_USER_KEY" } })).rejects.toThrow(/default must be one/);
    await expect(setProductAccessModes({ actor, productId: p.id, input: { modes: ["SMOKE_SIGNALS"], defaultMode: "SMOKE_SIGNALS" } })).rejects.toThrow(/access mode/);
    await expect(setProductAccessModes({ actor, productId: "no-such-product", input: { modes: ["OWN_ACCOUNT"], defaultMode: "OWN_ACCOUNT" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.product.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ accessModes: ["IAM_USER_KEY", "OWN_ACCOUNT", "BROKERED_TOKEN"], defaultAccessMode: "IAM_USER_KEY" });
  });
});
