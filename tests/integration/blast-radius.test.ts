// What leaked portal credentials, or a customer user with policies added by hand, can reach:
// only what the vendor marked as Pullgate's (repositories) and what Pullgate created (users).
// Every refusal here is the tests' AWS oracle judging the real policies, as AWS would.
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { isAwsError } from "@/lib/aws/aws-error";
import { attachUserPolicy, createAccessKey, deleteUserCompletely, ensureUser, putUserInlinePolicy } from "@/lib/aws/iam";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { env } from "@/lib/env";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { pullAs } from "../support/customer-pull";
import { awsAdminFixture } from "../support/product-fixture";
import { createProduct, inAYear, unique } from "../support/seed";

const { ctx, admin } = awsAdminFixture();
const actor = systemActor("test");
const refusedCode = (promise: Promise<unknown>) =>
  promise.then(
    () => "allowed",
    (error: unknown) => (isAwsError(error) ? error.code : String(error)),
  );

async function customerOn(repositoryNames: string[]) {
  const product = await createProduct({ accountId: ctx.accountId, region: ctx.region, repositories: repositoryNames });
  const granted = await grantEntitlement({ actor, source: "API", input: { customerEmail: `${unique("reach")}@example.com`, productSlug: product.slug, expiresAt: inAYear() } });
  return { product, entitlement: granted.entitlement, customerId: granted.entitlement.customerId };
}

describe("the portal's reach", () => {
  it("stops at repositories the vendor did not mark: no policy read or write, and the grant says how to mark it", async () => {
    const repo = await admin.createRepository({ unmarked: true });
    const { entitlement, customerId } = await customerOn([repo.name]);
    expectAccessDenied((d) => d.action === "ecr:GetRepositoryPolicy" && d.resource.endsWith(`:repository/${repo.name}`));

    const result = await convergeCustomer(customerId, actor);
    expect(result.ok).toBe(false);
    const failed = await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(/is not marked as Pullgate's: tag it pullgate:managed=true/);

    await admin.markRepository(repo);
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
  });

  it("gives no key, policy or deletion to a user Pullgate did not create, even under its path", async () => {
    const userName = `pullgate-${unique("intruder")}`;
    await admin.createUser(userName, env().PULLGATE_IAM_PATH);
    expectAccessDenied((d) => d.resource.endsWith(`/${userName}`));
    const pull = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] };
    expect(await refusedCode(createAccessKey(userName))).toBe("AccessDenied");
    expect(await refusedCode(putUserInlinePolicy(userName, "PullgatePull", pull))).toBe("AccessDenied");
    expect(await refusedCode(attachUserPolicy(userName, `arn:aws:iam::${ctx.accountId}:policy${env().PULLGATE_IAM_PATH}${env().PULLGATE_LOGIN_POLICY_NAME}`))).toBe("AccessDenied");
    expect(await refusedCode(deleteUserCompletely(userName))).toBe("AccessDenied");
    // Later files audit every user under Pullgate's path.
    await admin.deleteUser(userName);
  });

  it("creates users only with its mark and the boundary", async () => {
    const userName = `pullgate-${unique("unmarked")}`;
    const boundary = `arn:aws:iam::${ctx.accountId}:policy${env().PULLGATE_IAM_PATH}${env().PULLGATE_BOUNDARY_POLICY_NAME}`;
    expectAccessDenied((d) => d.action === "iam:CreateUser" && d.resource.endsWith(`/${userName}`));
    expect(await refusedCode(ensureUser({ userName, path: env().PULLGATE_IAM_PATH, permissionsBoundary: boundary, tags: {} }))).toBe("AccessDenied");
  });
});

describe("a customer user", () => {
  it("pulls from marked repositories only, whatever policy someone adds to it", async () => {
    const marked = await admin.createRepository();
    const unmarked = await admin.createRepository({ unmarked: true });
    const { customerId } = await customerOn([marked.name]);
    expect(await convergeCustomer(customerId, actor)).toEqual({ ok: true });
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId }, include: { accessKeys: { where: { status: "ACTIVE" } } } });
    const { accessKeyId } = identity.accessKeys[0]!;

    await admin.putUserPolicy(identity.userName, "HandAdded", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] });
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, marked)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, accessKeyId, unmarked)).toMatch(/denied because no permissions boundary allows it/);
  });
});
