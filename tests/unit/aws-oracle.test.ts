import { describe, expect, it } from "vitest";
import type { AccountView, IamUserState, Principal } from "../support/aws-oracle/account-view";
import { AWS_LIMITS, refusalOf, type AccountDirectory } from "../support/aws-oracle/aws-refusals";
import type { AwsRequest } from "../support/aws-oracle/aws-request";
import { judge } from "../support/aws-oracle/judge";

// The oracle must refuse what AWS refuses; each case is one AWS documents or one seen on a real
// account, judged with a small path-scoped policy like the portal's.
const ACCOUNT = "111122223333";
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/pullgate/Boundary`;
const LOGIN = `arn:aws:iam::${ACCOUNT}:policy/pullgate/Login`;
const USERS = `arn:aws:iam::${ACCOUNT}:user/pullgate/*`;

const policy = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const portal: Principal = {
  arn: `arn:aws:iam::${ACCOUNT}:user/portal`,
  accountId: ACCOUNT,
  userName: "portal",
  identityPolicies: [
    {
      name: "portal",
      policy: policy(
        { Effect: "Allow", Action: ["iam:GetUser", "iam:DeleteUser"], Resource: USERS },
        { Effect: "Allow", Action: "iam:CreateUser", Resource: USERS, Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } } },
        { Effect: "Allow", Action: "iam:AttachUserPolicy", Resource: USERS, Condition: { ArnEquals: { "iam:PolicyARN": LOGIN } } },
        {
          Effect: "Allow",
          Action: "ecr:SetRepositoryPolicy",
          Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/*`,
          Condition: { StringEquals: { "aws:ResourceTag/pullgate:managed": "true" } },
        },
        { Effect: "Allow", Action: "iam:ListUsers", Resource: USERS },
      ),
    },
  ],
};

const trusting = (principal: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }] });
const roles: Record<string, unknown> = { "trusts-portal": trusting(portal.arn), "trusts-other": trusting(`arn:aws:iam::${ACCOUNT}:user/other`) };

function account(users: Record<string, IamUserState>, repositories: Record<string, Record<string, string>> = {}): AccountView {
  return {
    principalOf: async () => portal,
    user: async (name) => users[name] ?? null,
    accessKeyOwner: async () => null,
    repository: async (_region, _registry, name) => (repositories[name] ? { tags: repositories[name] } : null),
    role: async (name) => (roles[name] ? { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, trustPolicy: roles[name] } : null),
  };
}

const existing = { "pullgate-c1-1": { arn: `arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-c1-1`, tags: {}, boundaryArn: BOUNDARY } };
const request = (action: string, params: Record<string, unknown>): AwsRequest => ({
  service: action.split(":")[0]!,
  action,
  region: "us-east-1",
  accessKeyId: "AKIAPORTAL",
  params,
});

describe("the AWS oracle", () => {
  it("refuses GetUser of a user that does not exist: AWS authorizes it on the ARN without a path", async () => {
    expect(await judge(request("iam:GetUser", { UserName: "pullgate-c1-1" }), portal, account(existing))).toEqual({ allowed: true });
    expect(await judge(request("iam:GetUser", { UserName: "pullgate-c2-1" }), portal, account(existing))).toEqual({
      allowed: false,
      action: "iam:GetUser",
      resource: `arn:aws:iam::${ACCOUNT}:user/pullgate-c2-1`,
      reason: "because no identity-based policy allows it",
    });
  });

  it("refuses CreateUser without the boundary, or with another one", async () => {
    const create = (extra: object) => judge(request("iam:CreateUser", { UserName: "pullgate-c3-1", Path: "/pullgate/", ...extra }), portal, account({}));
    expect(await create({ PermissionsBoundary: BOUNDARY })).toEqual({ allowed: true });
    expect(await create({})).toMatchObject({ allowed: false, action: "iam:CreateUser" });
    expect(await create({ PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/Admin` })).toMatchObject({ allowed: false });
    // Under another path the user is outside the policy's resource.
    expect(await judge(request("iam:CreateUser", { UserName: "x", Path: "/", PermissionsBoundary: BOUNDARY }), portal, account({}))).toMatchObject({ allowed: false });
  });

  it("refuses AttachUserPolicy of any policy but the login policy", async () => {
    const attach = (PolicyArn: string) => judge(request("iam:AttachUserPolicy", { UserName: "pullgate-c1-1", PolicyArn }), portal, account(existing));
    expect(await attach(LOGIN)).toEqual({ allowed: true });
    expect(await attach("arn:aws:iam::aws:policy/AdministratorAccess")).toMatchObject({ allowed: false, action: "iam:AttachUserPolicy" });
  });

  it("refuses a write to a repository Pullgate does not manage, judged by the repository's tags", async () => {
    const repos = { "acme/app": { "pullgate:managed": "true" }, "acme/secret": {} };
    const write = (repositoryName: string) => judge(request("ecr:SetRepositoryPolicy", { repositoryName, policyText: "{}" }), portal, account({}, repos));
    expect(await write("acme/app")).toEqual({ allowed: true });
    expect(await write("acme/secret")).toEqual({
      allowed: false,
      action: "ecr:SetRepositoryPolicy",
      resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/acme/secret`,
      reason: "because no identity-based policy allows it",
    });
  });

  it("refuses ListUsers under a user-scoped resource: it has no resource type, so only * allows it", async () => {
    expect(await judge(request("iam:ListUsers", { PathPrefix: "/pullgate/" }), portal, account({}))).toMatchObject({ allowed: false, resource: "*" });
  });

  it("refuses AssumeRole into a role that does not exist or does not trust the caller", async () => {
    const assume = (name: string) => judge(request("sts:AssumeRole", { RoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`, RoleSessionName: "s" }), portal, account({}));
    expect(await assume("trusts-portal")).toEqual({ allowed: true });
    expect(await assume("trusts-other")).toMatchObject({ allowed: false, action: "sts:AssumeRole" });
    expect(await assume("missing")).toMatchObject({ allowed: false, action: "sts:AssumeRole" });
  });

  it("lets every signed caller ask who it is", async () => {
    expect(await judge(request("sts:GetCallerIdentity", {}), { ...portal, identityPolicies: [] }, account({}))).toEqual({ allowed: true });
  });

  it("refuses a repository policy naming a user or role younger than IAM's propagation, and accepts it once older", async () => {
    const user = existing["pullgate-c1-1"].arn;
    const role = `arn:aws:iam::${ACCOUNT}:role/trusts-portal`;
    const directory: AccountDirectory = {
      ...account(existing),
      accountId: ACCOUNT,
      count: async () => 0,
      attachedPolicyCount: async () => 0,
      inlinePolicies: async () => [],
      roleExists: async (name) => name in roles,
    };
    const pull = policy({ Effect: "Allow", Principal: { AWS: [user, role] }, Action: "ecr:BatchGetImage" });
    const write = request("ecr:SetRepositoryPolicy", { repositoryName: "acme/app", policyText: JSON.stringify(pull) });
    const limits = { ...AWS_LIMITS, principalVisibleAfterSeconds: 10 };
    // Principals the oracle never saw created are old: the role here, unless it is given an age.
    const refusal = (ages: Record<string, number>, within = limits) =>
      refusalOf(write, within, new Set([ACCOUNT]), directory, new Map(Object.entries(ages).map(([arn, secondsAgo]) => [arn, Date.now() - secondsAgo * 1000])));
    const notFound = { code: "InvalidParameterException", status: 400, message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'" };

    expect(await refusal({ [user]: 9 })).toEqual(notFound);
    expect(await refusal({ [user]: 11, [role]: 9 })).toEqual(notFound);
    expect(await refusal({ [user]: 11, [role]: 11 })).toBeNull();
    expect(await refusal({})).toBeNull();
    // AWS_LIMITS has no delay, so that the suite does not wait for it.
    expect(await refusal({ [user]: 0 }, AWS_LIMITS)).toBeNull();
  });

  it("refuses what the permissions boundary does not allow, whatever the identity policy says", async () => {
    const capped: Principal = {
      ...portal,
      identityPolicies: [{ name: "all", policy: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }],
      boundary: { name: "boundary", policy: policy({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }) },
    };
    expect(await judge(request("ecr:GetAuthorizationToken", {}), capped, account({}))).toEqual({ allowed: true });
    expect(await judge(request("iam:CreateUser", { UserName: "x" }), capped, account({}))).toMatchObject({
      allowed: false,
      reason: "because no permissions boundary allows it",
    });
  });
});
