// Someone edits AWS by hand: a stranger in Pullgate's statement, a deleted user's unique id left
// behind, a customer's principal removed, a user under Pullgate's path that no customer owns, an
// extra key or a changed or added inline policy on a customer's user. The audit reports each and
// repairs them through the reconcile path, leaving statements and users that are not Pullgate's alone.
import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { repositoryArn } from "@/lib/aws/ecr";
import { INLINE_PULL_POLICY_NAME, inlinePullPolicyDocument } from "@/lib/aws/identity-pull-policy";
import { PULL_ACTIONS, PULL_STATEMENT_SID } from "@/lib/aws/pull-policy";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { deleteUserCompletely } from "@/lib/aws/iam";
import { open } from "@/lib/crypto/secret-box";
import { runDriftAudit } from "@/lib/health/run-drift-audit";
import { auditDrift } from "@/lib/provisioning/audit-drift";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { FOREIGN_STATEMENT } from "../support/fixtures";
import { inbox } from "../support/inbox";
import { createProduct, inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const admin = awsAdmin(ctx);

afterAll(async () => {
  admin.destroy();
  await closePools();
});

describe("drift audit", () => {
  it("reports every kind of drift, repairs it, and finds nothing the second time", async () => {
    // A clean state first: earlier files may have left users of their own, which are not drift.
    await auditDrift();
    const { repo, product } = await admin.productOnNewRepository({ foreignStatement: FOREIGN_STATEMENT });
    const grant = (email: string) =>
      grantEntitlement({ actor: systemActor("test"), source: "API", input: { customerEmail: email, productSlug: product.slug, expiresAt: inAYear() } });
    const [a, b] = [await grant(`${unique("drift-a")}@example.com`), await grant(`${unique("drift-b")}@example.com`)];
    await Promise.all([a, b].map((g) => convergeCustomer(g.entitlement.customerId, systemActor("test"))));
    const ia = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: a.entitlement.customerId } });
    const ib = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: b.entitlement.customerId } });

    const stranger = await admin.createUser(unique("stranger"), "/");
    // Pullgate's own leftover carries its mark and is deleted; anyone else's user is only reported.
    const orphan = unique("orphan");
    await admin.createUser(orphan, "/pullgate/", { marked: true });
    const foreign = unique("foreign");
    await admin.createUser(foreign, "/pullgate/");
    // A user deleted while the policy named it: AWS then shows its unique id in its place.
    const goneName = unique("gone");
    const gone = await admin.createUser(goneName, "/");
    await admin.setRepositoryPolicy(repo.name, {
      Version: "2012-10-17",
      Statement: [FOREIGN_STATEMENT, { Sid: PULL_STATEMENT_SID, Effect: "Allow", Principal: { AWS: [ia.arn, stranger.arn, gone.arn] }, Action: PULL_ACTIONS }],
    });
    await admin.deleteUser(goneName);
    const stale = (await probe.principals(repo)).find((p) => p.startsWith("AIDA"));
    expect(stale).toBeDefined();
    const extraKey = await admin.createAccessKey(ib.userName);

    const { findings } = await auditDrift();
    const mine = findings.filter((f) => ("repository" in f ? f.repository.endsWith(repo.name) : true));
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "unexpected-principal", principal: stranger.arn }),
        expect.objectContaining({ kind: "stale-principal", principal: stale }),
        expect.objectContaining({ kind: "missing-principal", principal: ib.arn }),
        expect.objectContaining({ kind: "orphan-user", userName: orphan }),
        expect.objectContaining({ kind: "foreign-user", userName: foreign }),
        expect.objectContaining({ kind: "unknown-access-key", userName: ib.userName, accessKeyId: extraKey }),
      ]),
    );

    expect((await probe.principals(repo)).sort()).toEqual([ia.arn, ib.arn].sort());
    expect((await probe.policy(repo)).Statement).toContainEqual(FOREIGN_STATEMENT);
    expect(await probe.keyIds(ib.userName)).not.toContain(extraKey);
    expect(await admin.userNames("/pullgate/")).not.toContain(orphan);
    expect(await admin.userNames("/pullgate/")).toContain(foreign);
    await admin.deleteUser(foreign);
    expect(await admin.userNames("/")).toContain(stranger.arn.split("/").pop());
    expect(await db.auditEvent.count({ where: { action: "drift.orphan-user" } })).toBeGreaterThanOrEqual(1);

    expect((await auditDrift()).findings).toEqual([]);
    const last = await db.driftRun.findFirstOrThrow({ orderBy: { startedAt: "desc" } });
    expect(last).toMatchObject({ findings: [], error: null });
  });

  it("puts an identity-policy user's pull policy back and deletes inline policies Pullgate did not write", async () => {
    await auditDrift();
    const { repo, product } = await admin.productOnNewRepository();
    await db.repository.updateMany({ where: { productId: product.id }, data: { strategy: "IDENTITY_POLICY", strategyReason: "test" } });
    const granted = await grantEntitlement({
      actor: systemActor("test"),
      source: "API",
      input: { customerEmail: `${unique("drift-inline")}@example.com`, productSlug: product.slug, expiresAt: inAYear() },
    });
    expect(await convergeCustomer(granted.entitlement.customerId, systemActor("test"))).toEqual({ ok: true });
    const { userName } = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: granted.entitlement.customerId } });
    // The repository carries its product's tag, which the policy names.
    const entitled = { repositoryArns: [], productTags: [String(product.pullTag)] };
    expect(await probe.inlinePullGrant(userName)).toEqual(entitled);

    const elsewhere = repositoryArn({ ...repo, name: unique("not-entitled") }, "aws");
    const account = { accountId: ctx.accountId, partition: "aws" };
    await admin.putUserPolicy(userName, INLINE_PULL_POLICY_NAME, inlinePullPolicyDocument({ repositoryArns: [elsewhere], productTags: [] }, account));
    await admin.putUserPolicy(userName, "HandAdded", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] });

    const { findings } = await auditDrift();
    expect(findings.filter((f) => "userName" in f && f.userName === userName)).toEqual([
      { kind: "unknown-inline-policy", userName, customerId: granted.entitlement.customerId, policyName: "HandAdded" },
      { kind: "inline-policy-drift", userName, customerId: granted.entitlement.customerId, missing: [`pullgate-product=${product.pullTag}`], unexpected: [elsewhere] },
    ]);
    expect(await probe.inlinePullGrant(userName)).toEqual(entitled);
    expect(await probe.inlinePolicyNames(userName)).toEqual([INLINE_PULL_POLICY_NAME]);
    expect((await auditDrift()).findings).toEqual([]);
  });

  it("gives a customer whose user was deleted outside Pullgate a new user and key, and tells its owner", async () => {
    await auditDrift();
    const { repo, product } = await admin.productOnNewRepository();
    const email = `${unique("drift-gone")}@example.com`;
    const granted = await grantEntitlement({ actor: systemActor("test"), source: "API", input: { customerEmail: email, productSlug: product.slug, expiresAt: inAYear() } });
    const customerId = granted.entitlement.customerId;
    expect(await convergeCustomer(customerId, systemActor("test"))).toEqual({ ok: true });
    const before = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    // Someone with IAM rights deletes the user (AWS then shows it in the policy as its unique id).
    await deleteUserCompletely(before.userName);

    const run = await runDriftAudit();
    expect(run.findings).toContainEqual({ kind: "missing-user", userName: before.userName, customerId, identityId: before.id });
    expect(run.replaced).toEqual([customerId]);

    const after = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    expect(after.userName).not.toBe(before.userName);
    expect(await probe.principals(repo)).toEqual([after.arn]);
    const key = await db.accessKey.findFirstOrThrow({ where: { identityId: after.id, status: "ACTIVE" }, omit: { secretCiphertext: false } });
    const secretAccessKey = open(key.secretCiphertext!, key.secretKeyId!, key.accessKeyId);
    expect(await probe.login({ accessKeyId: key.accessKeyId, secretAccessKey }, ctx.region)).toBe("ok");
    expect((await inbox(email)).map((m) => m.subject)).toContain("A new access key is waiting for you");
    expect((await auditDrift()).findings).toEqual([]);
  });

  it("reports a repository deleted in AWS and audits everything else", async () => {
    const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: [`it/${unique("deleted")}`] });
    const repo = product.repositories[0]!;
    // The portal may read marked repositories only: AWS answers one that is gone with AccessDenied.
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource.endsWith(`:repository/${repo.name}`));
    try {
      const run = await auditDrift();
      expect(run.findings).toContainEqual({ kind: "missing-repository", repository: `${ctx.accountId}/${ctx.region}/${repo.name}`, repositoryId: repo.id });
      expect(run.findings.filter((f) => f.kind !== "missing-repository")).toEqual([]);
    } finally {
      // Later files audit every repository in the database.
      await db.repository.delete({ where: { id: repo.id } });
      await db.product.delete({ where: { id: product.id } });
    }
  });
});
