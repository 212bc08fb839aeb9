import { describe, expect, it } from "vitest";
import { registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";

const options = {
  accountId: "111122223333",
  iamPath: "/pullgate/",
  loginPolicyName: "AmazonEC2ContainerRegistryLogin",
  boundaryPolicyName: "PullgateCustomerBoundary",
};
const USERS = "arn:aws:iam::111122223333:user/pullgate/*";
const LOGIN_POLICY = "arn:aws:iam::111122223333:policy/pullgate/AmazonEC2ContainerRegistryLogin";
const BOUNDARY_POLICY = "arn:aws:iam::111122223333:policy/pullgate/PullgateCustomerBoundary";

// Rights that would let a compromised portal pull images, log in itself or escalate in IAM.
const FORBIDDEN = [
  "ecr:GetAuthorizationToken",
  "ecr:BatchGetImage",
  "iam:CreatePolicyVersion",
  "iam:PutUserPermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
];

const doc = portalPolicyDocument(options);
const MARKED = { "aws:ResourceTag/pullgate:managed": "true" };
const actionsOf = (statements: { Action: string[] }[]) => statements.flatMap((s) => s.Action).sort();

describe("portalPolicyDocument", () => {
  it("reads only the CloudTrail bucket it is given, and no S3 at all without one", () => {
    expect(actionsOf(doc.Statement).filter((a) => a.startsWith("s3:"))).toEqual([]);
    const withTrail = portalPolicyDocument({ ...options, cloudTrailBucket: "acme-trail" });
    const s3 = withTrail.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    expect(s3).toEqual([
      {
        Sid: "ReadCloudTrailLogs",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetObject"],
        Resource: ["arn:aws:s3:::acme-trail", "arn:aws:s3:::acme-trail/*"],
      },
    ]);
  });

  it("scopes every action on IAM users to users under the Pullgate path", () => {
    // Reads of users that may be gone, and the two actions without a resource type, are checked below.
    const exceptions = new Set(["ReadCustomerUsersThatMayBeGone", "ListUsersAndQuotas"]);
    const userActions = doc.Statement.filter(
      (s) => !exceptions.has(s.Sid) && s.Action.some((a) => /^iam:.*(User|AccessKey|LoginProfile)/.test(a) && a !== "iam:RemoveUserFromGroup"),
    );
    expect(userActions.length).toBeGreaterThan(0);
    for (const statement of userActions) expect(statement.Resource).toBe(USERS);
    expect(actionsOf(userActions)).toEqual(
      expect.arrayContaining(["iam:CreateUser", "iam:DeleteUser", "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:AttachUserPolicy"]),
    );
  });

  it("reads users that may not exist by Pullgate's name prefix only, and changes nothing there", () => {
    const statement = doc.Statement.find((s) => s.Sid === "ReadCustomerUsersThatMayBeGone");
    expect(statement?.Resource).toBe("arn:aws:iam::111122223333:user/pullgate-*");
    for (const action of statement!.Action) expect(action).toMatch(/^iam:(Get|List)/);
  });

  it("allows on every resource only the three IAM actions that have no resource type", () => {
    const everywhere = doc.Statement.filter((s) => s.Resource === "*" && s.Action.some((a) => a.startsWith("iam:")));
    expect(actionsOf(everywhere)).toEqual(["iam:GetAccountSummary", "iam:ListOpenIDConnectProviders", "iam:ListUsers"]);
  });

  it("gives the two removals IAM authorizes against another resource than the user a statement each", () => {
    const allowing = (action: string) => doc.Statement.filter((s) => s.Action.includes(action));
    expect(allowing("iam:RemoveUserFromGroup")).toEqual([
      expect.objectContaining({ Action: ["iam:RemoveUserFromGroup"], Resource: "arn:aws:iam::111122223333:group/*" }),
    ]);
    expect(allowing("iam:DeleteVirtualMFADevice")).toEqual([
      expect.objectContaining({ Action: ["iam:DeleteVirtualMFADevice"], Resource: "arn:aws:iam::111122223333:mfa/*" }),
    ]);
  });

  it("writes inline policies only on Pullgate's users, which the boundary caps at login and pulls", () => {
    const inline = doc.Statement.filter((s) => s.Action.includes("iam:PutUserPolicy"));
    expect(inline).toHaveLength(1);
    expect(inline[0]!.Resource).toBe(USERS);
    expect(inline[0]!.Condition).toEqual({ StringEquals: MARKED });
    expect(doc.Statement.find((s) => s.Sid === "CreateUsersOnlyWithTheBoundary")?.Condition).toEqual({
      StringEquals: { "iam:PermissionsBoundary": BOUNDARY_POLICY, "aws:RequestTag/pullgate:managed": "true" },
    });
  });

  it("allows AttachUserPolicy only for the login policy", () => {
    const attaching = doc.Statement.filter((s) => s.Action.includes("iam:AttachUserPolicy"));
    expect(attaching).toHaveLength(1);
    expect(attaching[0]!.Action).toEqual(["iam:AttachUserPolicy"]);
    expect(attaching[0]!.Condition).toEqual({ ArnEquals: { "iam:PolicyARN": LOGIN_POLICY }, StringEquals: MARKED });
  });

  it("lets the portal create only the login and boundary policies", () => {
    const creating = doc.Statement.filter((s) => s.Action.includes("iam:CreatePolicy"));
    expect(creating).toHaveLength(1);
    expect(creating[0]!.Resource).toEqual([LOGIN_POLICY, BOUNDARY_POLICY]);
  });

  it("allows CreateUser only with the customer permissions boundary", () => {
    const creating = doc.Statement.filter((s) => s.Action.includes("iam:CreateUser"));
    expect(creating).toHaveLength(1);
    expect(creating[0]!.Action).toEqual(["iam:CreateUser"]);
    expect(creating[0]!.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": BOUNDARY_POLICY, "aws:RequestTag/pullgate:managed": "true" } });
  });

  it("gives keys to, and deletes, only users that carry Pullgate's mark", () => {
    for (const action of ["iam:CreateAccessKey", "iam:DeleteUser", "iam:PutUserPolicy"]) {
      const statements = doc.Statement.filter((s) => s.Action.includes(action));
      expect(statements, action).toHaveLength(1);
      expect(statements[0]!.Condition, action).toEqual({ StringEquals: MARKED });
    }
  });

  it("limits repository policy edits to the vendor's own account", () => {
    const ecr = doc.Statement.filter((s) => s.Action.includes("ecr:SetRepositoryPolicy"));
    expect(ecr).toHaveLength(1);
    expect(ecr[0]!.Resource).toBe("arn:aws:ecr:*:111122223333:repository/*");
    // ... and to the repositories the vendor marked as Pullgate's, like the product tag it may set.
    expect(ecr[0]!.Condition).toEqual({ StringEquals: MARKED });
    expect(doc.Statement.find((s) => s.Action.includes("ecr:TagResource"))!.Condition).toMatchObject({ StringEquals: MARKED });
  });

  it("grants no pull, login, policy-rewrite or wildcard action", () => {
    const actions = actionsOf(doc.Statement);
    for (const forbidden of FORBIDDEN) expect(actions).not.toContain(forbidden);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    for (const s of doc.Statement) expect(s.Effect).toBe("Allow");
  });

  it("reaches other accounts' repositories only through the registry role of that name, when one is named", () => {
    expect(doc.Statement.map((s) => s.Sid)).not.toContain("ReachRepositoriesInOtherAccounts");
    const withRegistries = portalPolicyDocument({ ...options, registryRoleName: "pullgate-registry" });
    expect(withRegistries.Statement.find((s) => s.Sid === "ReachRepositoriesInOtherAccounts")).toEqual({
      Sid: "ReachRepositoriesInOtherAccounts",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: `arn:aws:iam::*:role${options.iamPath}pullgate-registry`,
    });
  });

  it("gives the registry role the portal's repository statements, for the role's own account", () => {
    const registry = registryRolePolicyDocument({ accountId: "444455556666", partition: "aws" });
    const own = doc.Statement.filter((s) => registry.Statement.some((r) => r.Sid === s.Sid));
    expect(registry.Statement.map((s) => s.Sid)).toEqual(["ManageRepositoryPolicies", "ReadRepositoryTags", "TagRepositoriesWithTheirProduct", "DiscoverRepositories"]);
    expect(JSON.stringify(registry).replaceAll("444455556666", options.accountId)).toBe(JSON.stringify({ Version: "2012-10-17", Statement: own }));
    expect(registryRoleTrustPolicy("arn:aws:iam::111122223333:role/pullgate/pullgate-portal").Statement).toEqual([
      { Sid: "ThePullgatePortal", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/pullgate/pullgate-portal" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("uses the configured account, path and policy name", () => {
    const other = portalPolicyDocument({ accountId: "999988887777", iamPath: "/vendor/pg/", loginPolicyName: "Login", boundaryPolicyName: "Cap" });
    const text = JSON.stringify(other);
    expect(text).toContain("arn:aws:iam::999988887777:user/vendor/pg/*");
    expect(text).toContain("arn:aws:iam::999988887777:policy/vendor/pg/Login");
    expect(text).not.toContain("111122223333");
  });

  it("fits IAM's 6,144 characters for a managed policy with every option and a vendor's own names", () => {
    const long = portalPolicyDocument({
      accountId: "111122223333",
      partition: "aws-us-gov",
      iamPath: "/vendor/pullgate-prod/",
      loginPolicyName: "VendorPullgateRegistryLogin",
      boundaryPolicyName: "VendorPullgateCustomerBoundary",
      cloudTrailBucket: "vendor-organization-cloudtrail-logs",
      cloudTrailKmsKeyArn: "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      registryRoleName: "vendor-pullgate-registry",
      brokerRoleName: "vendor-pullgate-broker",
    });
    expect(JSON.stringify(long).length).toBeLessThanOrEqual(6_144);
  });

  it("makes workload roles only under the boundary with the mark, and changes only roles and OIDC providers that carry it", () => {
    const statements = doc.Statement.filter((s) => s.Action.some((a) => /Role|OpenIDConnect/.test(a)) && s.Sid !== "ReachRepositoriesInOtherAccounts");
    const roles = "arn:aws:iam::111122223333:role/pullgate/pullgate-workload-*";
    const providers = "arn:aws:iam::111122223333:oidc-provider/*";
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.CreateWorkloadRolesOnlyWithTheBoundary).toMatchObject({
      Action: ["iam:CreateRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY_POLICY, "aws:RequestTag/pullgate:managed": "true" } },
    });
    expect(bySid.ChangeOnlyWorkloadIamPullgateCreated).toMatchObject({ Resource: [roles, providers], Condition: { StringEquals: MARKED } });
    expect(bySid.ReadWorkloadIam!.Action.every((a) => /^iam:(Get|List)/.test(a))).toBe(true);
    // The broker role is reached by its own ARN only, never by the workload roles' wildcard.
    expect(bySid.BrokerRegistryCredentials!.Resource).toBe("arn:aws:iam::111122223333:role/pullgate/pullgate-registry-broker");
    for (const s of statements) {
      const changes = s.Action.filter((a) => !/^iam:(Get|List)/.test(a) && !a.startsWith("sts:"));
      if (changes.length && s.Sid !== "BrokerRegistryCredentials") expect(s.Condition, s.Sid).toBeDefined();
    }
  });
});
