// Workload identity federation: a customer's CI or cluster assumes the customer's workload role
// with an OIDC token of its own issuer, then logs in to ECR and pulls, with no key anywhere: the
// customer's side is the AWS CLI, as a CI job runs it.
// The tests' AWS oracle verifies the web-identity token (signature, issuer, audience, expiry)
// against the issuer's keys, checks the IAM OIDC provider and the role exist, and judges the
// role's trust policy with the token's claims, as AWS does; moto alone accepts any token.
import { beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { readWorkloadRole } from "@/lib/aws/workload-iam";
import { oidcProviderArn, workloadRoleName } from "@/lib/aws/workload-role";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { auditDrift } from "@/lib/provisioning/audit-drift";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { registerWorkloadIdentity, removeWorkloadIdentity } from "@/lib/workload-identities/workload-identities";
import { judgePullWithRegistryToken, readOracleReport, registerOracleIssuer } from "../support/aws-oracle/oracle-proxy";
import { boto3 } from "../support/boto3";
import { workloadLogin } from "../support/aws-cli";
import { federatedProduct } from "../support/federated-product";
import { awsAdminFixture } from "../support/product-fixture";
import { inAYear, unique } from "../support/seed";
import { workloadIssuer } from "../support/workload-tokens";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");
const GITHUB = workloadIssuer("https://token.actions.githubusercontent.com");
const GITLAB = workloadIssuer("https://gitlab.com");

beforeAll(async () => {
  for (const issuer of [GITHUB, GITLAB]) await registerOracleIssuer(ctx.awsEndpoint, issuer.issuer, issuer.jwks);
});

async function federatedCustomer(productSlug: string) {
  const email = `${unique("workload")}@example.com`;
  const { entitlement } = await grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug, expiresAt: inAYear() } });
  const customerId = entitlement.customerId;
  expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  const owner = await db.user.findFirstOrThrow({ where: { customerId, role: "CUSTOMER_OWNER" } });
  return { customerId, entitlement, owner: { type: "USER" as const, id: owner.id, label: owner.email } };
}

const roleArnOf = (customerId: string) => `arn:aws:iam::${ctx.accountId}:role/pullgate/${workloadRoleName(customerId)}`;

type Login = ReturnType<typeof workloadLogin>;
const assumeWithToken = (roleArn: string, token: string) => workloadLogin(ctx, roleArn, token);
const refusal = async (answer: Login) => {
  const out = await answer;
  return "error" in out ? out.error : "allowed";
};
const passwordOf = async (answer: Login) => {
  const out = await answer;
  if ("error" in out) throw new Error(`AWS refused the workload: ${out.error}`);
  return out.password;
};

describe("workload identity federation", () => {
  it("lets a customer's GitHub Actions job pull its products with the job's own token, and nothing else", async () => {
    const product = await federatedProduct(admin, ctx);
    const other = await federatedProduct(admin, ctx);
    const { customerId, owner } = await federatedCustomer(product.slug);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ keyAccess: false });
    expect(await db.awsIdentity.count({ where: { customerId } })).toBe(0);

    const subject = "repo:bigcorp/deploy:ref:refs/heads/main";
    expect(await registerWorkloadIdentity({ actor: owner, customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy on main", subject } })).toMatch(/^Trusted deploy on main/);
    const role = await readWorkloadRole(customerId);
    expect(role).toMatchObject({ arn: roleArnOf(customerId), marked: true, policyNames: ["PullgatePull"] });
    expect(await db.oidcProvider.findUniqueOrThrow({ where: { issuer: GITHUB.issuer } })).toMatchObject({ arn: oidcProviderArn({ accountId: ctx.accountId, partition: "aws" }, GITHUB.issuer) });

    const password = await passwordOf(assumeWithToken(role!.arn, GITHUB.token({ audience: "sts.amazonaws.com", subject })));
    const pull = (repo: typeof product.repo) => judgePullWithRegistryToken(ctx.awsEndpoint, { registryToken: password, region: repo.region, registryId: repo.accountId, repositoryName: repo.name });
    expect(await pull(product.repo)).toEqual({ allowed: true });
    expect(await pull(other.repo)).toMatchObject({ allowed: false });

    // Another repository's job, another audience, an expired or forged token: AWS refuses each.
    expect(await refusal(assumeWithToken(role!.arn, GITHUB.token({ audience: "sts.amazonaws.com", subject: "repo:bigcorp/other:ref:refs/heads/main" })))).toBe("AccessDenied");
    expect(await refusal(assumeWithToken(role!.arn, GITHUB.token({ audience: "another-audience", subject })))).toBe("InvalidIdentityToken");
    expect(await refusal(assumeWithToken(role!.arn, GITHUB.token({ audience: "sts.amazonaws.com", subject, expiresInSeconds: -60 })))).toBe("ExpiredTokenException");
    const forged = workloadIssuer(GITHUB.issuer).token({ audience: "sts.amazonaws.com", subject });
    expect(await refusal(assumeWithToken(role!.arn, forged))).toBe("InvalidIdentityToken");
  });

  it("deletes the role at revocation, ending its live sessions, and the provider no customer uses any more", async () => {
    const product = await federatedProduct(admin, ctx);
    const { customerId, owner, entitlement } = await federatedCustomer(product.slug);
    const subject = "project_path:bigcorp/deploy:ref_type:branch:ref:main";
    await registerWorkloadIdentity({ actor: owner, customerId, input: { kind: "GITLAB_CI", name: "deploy", subject } });
    const token = () => GITLAB.token({ audience: "sts.amazonaws.com", subject });
    const password = await passwordOf(assumeWithToken(roleArnOf(customerId), token()));
    const pull = () => judgePullWithRegistryToken(ctx.awsEndpoint, { registryToken: password, region: product.repo.region, registryId: product.repo.accountId, repositoryName: product.repo.name });
    expect(await pull()).toEqual({ allowed: true });

    await revokeEntitlement({ actor, entitlementId: entitlement.id });
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await readWorkloadRole(customerId)).toBeNull();
    expect(await db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ workloadRoleArn: null });
    expect(await pull()).toMatchObject({ allowed: false });
    // Its provider still accepts the token, but a role that no longer exists trusts nobody.
    expect(await refusal(assumeWithToken(roleArnOf(customerId), token()))).toBe("AccessDenied");
    // The workload is still trusted (a renewal brings the role back); removing it frees the issuer.
    await removeWorkloadIdentity({ actor: owner, customerId, id: (await db.workloadIdentity.findFirstOrThrow({ where: { customerId } })).id });
    expect(await db.workloadIdentity.count({ where: { issuer: GITLAB.issuer } })).toBe(0);
  });

  it("refuses subjects that could match other organisations, issuers the vendor did not allow, and more than a role can carry", async () => {
    const product = await federatedProduct(admin, ctx);
    const { customerId, owner } = await federatedCustomer(product.slug);
    const register = (input: { kind: string; subject: string; issuer?: string; audience?: string }) =>
      registerWorkloadIdentity({ actor: owner, customerId, input: { name: "w", ...input } }).then(
        () => "ok",
        (error: { code?: string; fieldErrors?: { path: string }[] }) => `${error.code} ${error.fieldErrors?.[0]?.path ?? ""}`.trim(),
      );
    expect(await register({ kind: "GITHUB_ACTIONS", subject: "*" })).toBe("INVALID_INPUT subject");
    expect(await register({ kind: "GITHUB_ACTIONS", subject: "repo:*" })).toBe("INVALID_INPUT subject");
    expect(await register({ kind: "GITHUB_ACTIONS", subject: "repo:big*/deploy:*" })).toBe("INVALID_INPUT subject");
    expect(await register({ kind: "KUBERNETES", issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF", subject: "system:serviceaccount:*" })).toBe("INVALID_INPUT subject");
    expect(await register({ kind: "KUBERNETES", issuer: "https://kubernetes.example.com", subject: "system:serviceaccount:a:b" })).toBe("INVALID_INPUT issuer");
    expect(await register({ kind: "OTHER", issuer: "https://issuer.example.com", subject: "x" })).toBe("INVALID_INPUT issuer");
    expect(await register({ kind: "OTHER", issuer: "http://issuer.example.com", subject: "x" })).toBe("INVALID_INPUT issuer");
    expect(await db.workloadIdentity.count({ where: { customerId } })).toBe(0);

    expect(await register({ kind: "GITHUB_ACTIONS", subject: "repo:bigcorp/deploy:*" })).toBe("ok");
    expect(await register({ kind: "GITHUB_ACTIONS", subject: "repo:bigcorp/deploy:*" })).toBe("CONFLICT");
    expect(await register({ kind: "GITLAB_CI", subject: "project_path:bigcorp/deploy:*" })).toBe("ok");
    expect(await register({ kind: "KUBERNETES", issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF", subject: "system:serviceaccount:ci:puller" })).toBe("INVALID_INPUT issuer");
    for (const n of [1, 2, 3]) expect(await register({ kind: "GITHUB_ACTIONS", subject: `repo:bigcorp/app-${n}:ref:refs/heads/main` })).toBe("ok");
    expect(await register({ kind: "GITHUB_ACTIONS", subject: "repo:bigcorp/app-4:ref:refs/heads/main" })).toBe("CONFLICT");

    // A member, or another customer's owner, trusts nothing here.
    const member = await db.user.create({ data: { email: `${unique("member")}@example.com`, role: "CUSTOMER_MEMBER", customerId } });
    await expect(registerWorkloadIdentity({ actor: { type: "USER", id: member.id, label: member.email }, customerId, input: { kind: "GITHUB_ACTIONS", name: "m", subject: "repo:bigcorp/x:*" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stranger = await federatedCustomer(product.slug);
    const theirs = await db.workloadIdentity.findFirstOrThrow({ where: { customerId } });
    await expect(removeWorkloadIdentity({ actor: stranger.owner, customerId: stranger.customerId, id: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reconciles an unchanged role without an IAM call, and the drift audit finds and repairs a role changed behind Pullgate", async () => {
    const product = await federatedProduct(admin, ctx);
    const { customerId, owner } = await federatedCustomer(product.slug);
    const subject = "repo:bigcorp/deploy:ref:refs/heads/main";
    await registerWorkloadIdentity({ actor: owner, customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy", subject } });

    const judged = async () => (await readOracleReport(ctx.awsEndpoint)).judged;
    const before = await judged();
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    expect(await judged()).toBe(before);

    // Someone widens the role's pull policy in IAM: the audit reports it and puts Pullgate's back.
    const wide = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" }] };
    expect(await boto3(ctx, ctx.admin, "iam", "put_role_policy", { RoleName: workloadRoleName(customerId), PolicyName: "PullgatePull", PolicyDocument: JSON.stringify(wide) })).toEqual({});
    const mine = (findings: { kind: string; customerId?: string }[]) => findings.filter((f) => f.kind === "workload-role-drift" && f.customerId === customerId);
    expect(mine((await auditDrift(actor)).findings)).toEqual([expect.objectContaining({ problem: "permissions" })]);
    expect(mine((await auditDrift(actor)).findings)).toEqual([]);
  });
});
