// Keyless access to repositories in the vendor's other accounts: pull tokens (broker sessions)
// and workload roles live in the portal's account, so another account's repository must trust
// them in its policy, as it trusts the customer users, and their own policies must name it.
// Every call and pull is judged by the tests' AWS oracle, which spans both accounts and gives a
// role session's `aws:PrincipalArn` as its role's ARN, as AWS does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPullAccess } from "@/lib/access/check-pull-access";
import { answerRegistryCredentials } from "@/lib/api/registry-credentials-route";
import { systemActor } from "@/lib/audit/actor";
import { getRepositoryPolicy, registryHost, type RepositoryRef } from "@/lib/aws/ecr";
import { VENDOR_USERS_STATEMENT_SID, withVendorUsers } from "@/lib/aws/pull-policy";
import { readWorkloadRole } from "@/lib/aws/workload-iam";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { attachRepository } from "@/lib/products/attach-repository";
import { setProductAccessModes } from "@/lib/products/set-access-modes";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { findRepositoriesToSettle } from "@/lib/provisioning/reconcile-pending";
import { createPullToken } from "@/lib/pull-tokens/pull-tokens";
import { pullTokenSetupView } from "@/lib/pull-tokens/pull-tokens-view";
import { registerWorkloadIdentity } from "@/lib/workload-identities/workload-identities";
import { awsAdmin } from "../support/aws-admin";
import { workloadLogin } from "../support/aws-cli";
import { judgePullWithRegistryToken, registerOracleIssuer } from "../support/aws-oracle/oracle-proxy";
import { awsAdminFixture } from "../support/product-fixture";
import { createProduct, inAYear, unique } from "../support/seed";
import { workloadIssuer } from "../support/workload-tokens";

const { ctx, admin } = awsAdminFixture();
// The vendor's administrator of its second account, where the registry role was set up.
const registryAdmin = awsAdmin({ ...ctx, accountId: ctx.registryAccount.accountId, admin: ctx.registryAccount.admin });
afterAll(() => registryAdmin.destroy());
const actor = systemActor("test");
const GITHUB = workloadIssuer("https://token.actions.githubusercontent.com");
const SUBJECT = "repo:bigcorp/deploy:ref:refs/heads/main";

beforeAll(() => registerOracleIssuer(ctx.awsEndpoint, GITHUB.issuer, GITHUB.jwks));

type Statement = { Sid?: string; Condition?: { ArnLike?: Record<string, unknown> } };
const statementsOf = (policy: string | null) => (policy ? (JSON.parse(policy) as { Statement: Statement[] }).Statement : []);

/** A keyless product on `repos`, some of them in the vendor's other account. */
async function keylessProduct(repos: RepositoryRef[]) {
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [] });
  for (const repo of repos) await attachRepository({ actor, input: { productId: product.id, accountId: repo.accountId, region: repo.region, name: repo.name } });
  await setProductAccessModes({ actor, productId: product.id, input: { modes: ["BROKERED_TOKEN", "OIDC_FEDERATION"], defaultMode: "BROKERED_TOKEN" } });
  return product;
}

/** A converged customer of `slug` with a pull token and a trusted GitHub workflow of its owner's. */
async function keylessCustomer(slug: string) {
  const { entitlement } = await grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique("keyless")}@example.com`, productSlug: slug, expiresAt: inAYear() } });
  const customerId = entitlement.customerId;
  expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  const owner = await db.user.findFirstOrThrow({ where: { customerId, role: "CUSTOMER_OWNER" } });
  const ownerActor = { type: "USER" as const, id: owner.id, label: owner.email };
  const { token } = await createPullToken({ actor: ownerActor, customerId, input: { name: "ci" } });
  await registerWorkloadIdentity({ actor: ownerActor, customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy", subject: SUBJECT } });
  return { customerId, entitlement, token };
}

async function brokered(token: string) {
  const response = await answerRegistryCredentials(
    new Request("http://localhost/api/v1/registry/credentials", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" }),
  );
  const body = (await response.json()) as { credentials?: { registry: string; password: string }[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.credentials!;
}

/** The registry password the customer's GitHub job gets with the AWS CLI: its own token, the role, then a login. */
async function workloadPassword(customerId: string) {
  const role = await readWorkloadRole(customerId);
  const login = await workloadLogin(ctx, role!.arn, GITHUB.token({ audience: "sts.amazonaws.com", subject: SUBJECT }));
  if ("error" in login) throw new Error(`AWS refused the workload: ${login.error}`);
  return login.password;
}

const pull = (registryToken: string, repo: RepositoryRef) =>
  judgePullWithRegistryToken(ctx.awsEndpoint, { registryToken, region: repo.region, registryId: repo.accountId, repositoryName: repo.name });

describe("keyless access to repositories in the vendor's other accounts", () => {
  it("reaches them with pull tokens and workload roles, exactly the customer's products, until revocation", async () => {
    const there = await registryAdmin.createRepository();
    const here = await admin.createRepository();
    const elsewhere = await registryAdmin.createRepository();
    const product = await keylessProduct([there, here]);
    const other = await keylessProduct([elsewhere]);
    await keylessCustomer(other.slug); // the other product's customer: its repository is trusting and tagged too
    const { customerId, entitlement, token } = await keylessCustomer(product.slug);

    // The other account's policy trusts the portal account's keyless roles by name, never a customer.
    const trust = statementsOf(await getRepositoryPolicy(there)).find((s) => s.Sid === VENDOR_USERS_STATEMENT_SID);
    expect(trust?.Condition?.ArnLike?.["aws:PrincipalArn"]).toEqual(
      expect.arrayContaining([`arn:aws:iam::${ctx.accountId}:role/pullgate/pullgate-registry-broker`, `arn:aws:iam::${ctx.accountId}:role/pullgate/pullgate-workload-*`]),
    );

    // A pull token gets one answer per registry, each host as docker names it, and pulls exactly its product.
    const credentials = await brokered(token);
    expect(credentials.map((c) => c.registry).sort()).toEqual([registryHost(there.accountId, there.region), registryHost(here.accountId, here.region)].sort());
    for (const repo of [there, here]) {
      const { password } = credentials.find((c) => c.registry === registryHost(repo.accountId, repo.region))!;
      expect(await pull(password, repo)).toEqual({ allowed: true });
    }
    expect(await pull(credentials[0]!.password, elsewhere)).toMatchObject({ allowed: false });
    const setup = await pullTokenSetupView(customerId);
    expect(setup.registries.map((r) => r.host).sort()).toEqual(credentials.map((c) => c.registry).sort());

    // The workload's one registry login reaches both accounts' repositories of its products, and no other.
    const workloadToken = await workloadPassword(customerId);
    expect(await pull(workloadToken, there)).toEqual({ allowed: true });
    expect(await pull(workloadToken, here)).toEqual({ allowed: true });
    expect(await pull(workloadToken, elsewhere)).toMatchObject({ allowed: false });
    // The vendor's access check, judging what AWS holds on both sides, agrees.
    expect((await checkPullAccess(customerId, product.id)).workloadRole).toMatchObject({ allowed: true });

    // Revocation ends both in the other account too: the broker's deny, the role deleted.
    await revokeEntitlement({ actor, entitlementId: entitlement.id });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await pull(credentials[0]!.password, there)).toMatchObject({ allowed: false });
    expect(await pull(workloadToken, there)).toMatchObject({ allowed: false });
  });

  it("hold a keyless customer's entitlement until the other account's policy trusts keyless roles, and the sweep brings an older trust up to date", async () => {
    const there = await registryAdmin.createRepository();
    const product = await keylessProduct([there]);
    const first = await keylessCustomer(product.slug);
    const row = await db.repository.findFirstOrThrow({ where: { accountId: there.accountId, name: there.name } });

    // An earlier release trusted the customer users alone.
    const usersOnly = { accountRootArn: `arn:aws:iam::${ctx.accountId}:root`, principalArnPatterns: [`arn:aws:iam::${ctx.accountId}:user/pullgate/*`] };
    await registryAdmin.setRepositoryPolicy(there.name, JSON.parse(withVendorUsers(await getRepositoryPolicy(there), usersOnly)!) as object);
    await db.repository.update({ where: { id: row.id }, data: { vendorTrust: usersOnly.principalArnPatterns.join(" ") } });
    expect(await pull((await brokered(first.token))[0]!.password, there)).toMatchObject({ allowed: false });
    expect(await findRepositoriesToSettle()).toContain(row.id);

    // A new customer's reconcile waits on the repository, which trusts the roles again before it is done.
    const second = await keylessCustomer(product.slug);
    expect(await db.entitlement.findFirstOrThrow({ where: { customerId: second.customerId } })).toMatchObject({ syncStatus: "SYNCED" });
    expect(await findRepositoriesToSettle()).not.toContain(row.id);
    for (const customer of [first, second]) {
      const [credentials] = await brokered(customer.token);
      expect(await pull(credentials!.password, there)).toEqual({ allowed: true });
    }
  });
});
