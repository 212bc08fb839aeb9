import type http from "node:http";
import { describe, expect, it } from "vitest";
import type { AccountView, IamUserState, Principal } from "../support/aws-oracle/account-view";
import { AWS_LIMITS, refusalOf, withQuotas, type AccountDirectory, type AwsLimits } from "../support/aws-oracle/aws-refusals";
import { readAwsRequest, type AwsRequest } from "../support/aws-oracle/aws-request";
import { judge } from "../support/aws-oracle/judge";
import { registryRolePolicyDocument } from "@/lib/aws/registry-role";

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

  it("judges a role's session by the role's policies and boundary, as an assumed role", async () => {
    const session: Principal = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/portal/s`, accountId: ACCOUNT, type: "AssumedRole", identityPolicies: portal.identityPolicies };
    const create = (principal: Principal) =>
      judge(request("iam:CreateUser", { UserName: "pullgate-c9-1", Path: "/pullgate/", PermissionsBoundary: BOUNDARY }), principal, account({}));
    expect(await create(session)).toEqual({ allowed: true });
    const bounded = { ...session, boundary: { name: "bound", policy: policy({ Effect: "Allow", Action: "iam:GetUser", Resource: "*" }) } };
    expect(await create(bounded)).toMatchObject({ allowed: false, reason: "because no permissions boundary allows it" });
    // AWS tells a session from a user by aws:PrincipalType.
    const sessionsOnly = policy({ Effect: "Allow", Action: "iam:ListUsers", Resource: "*", Condition: { StringEquals: { "aws:PrincipalType": "AssumedRole" } } });
    const list = (principal: Principal) =>
      judge(request("iam:ListUsers", {}), { ...principal, identityPolicies: [{ name: "sessions", policy: sessionsOnly }] }, account({}));
    expect(await list(session)).toEqual({ allowed: true });
    expect(await list(portal)).toMatchObject({ allowed: false });
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

  describe("across the vendor's accounts", () => {
    // Customers' users and the portal live in ACCOUNT; repositories may also live in REGISTRY,
    // which the portal reaches through a role of its own there.
    const REGISTRY = "444455556666";
    const ROLE = `arn:aws:iam::${REGISTRY}:role/pullgate/pullgate-registry`;
    const reachRole = { name: "reach", policy: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/pullgate/pullgate-registry" }) };
    const portalThatReaches: Principal = { ...portal, identityPolicies: [...portal.identityPolicies, reachRole] };
    const MARKED = { "pullgate:managed": "true" };

    type Repository = { tags: Record<string, string>; policy?: unknown };
    /** A view of the registry account: its repositories by name, and its role when it has one (with this trust policy). */
    function registry(repositories: Record<string, Repository>, trustPolicy?: unknown): AccountView {
      return {
        principalOf: async () => null,
        user: async () => null,
        accessKeyOwner: async () => null,
        repository: async (_region, registryId, name) => (registryId === REGISTRY ? (repositories[name] ?? null) : null),
        role: async (name) => (name === "pullgate-registry" && trustPolicy ? { arn: ROLE, trustPolicy } : null),
      };
    }
    const accounts = (home: AccountView, other: AccountView) => new Map([[ACCOUNT, home], [REGISTRY, other]]);

    it("lets the portal assume the role in another account only when its own policy and the role's trust policy both allow it", async () => {
      const assume = (caller: Principal, trustPolicy: unknown, roleArn = ROLE) =>
        judge(request("sts:AssumeRole", { RoleArn: roleArn, RoleSessionName: "s" }), caller, accounts(account({}), registry({}, trustPolicy)));
      expect(await assume(portalThatReaches, trusting(portal.arn))).toEqual({ allowed: true });
      // The trust policy alone suffices within one account (see above), not across accounts.
      expect(await assume(portal, trusting(portal.arn))).toMatchObject({ allowed: false, action: "sts:AssumeRole", resource: ROLE });
      // The caller's policy alone does not: the role's account decides whom it trusts.
      expect(await assume(portalThatReaches, trusting(`arn:aws:iam::${ACCOUNT}:user/other`))).toMatchObject({
        allowed: false,
        action: "sts:AssumeRole",
        reason: "because no resource-based policy allows it",
      });
      // Nor into a role that does not exist, or not under that path.
      expect(await assume(portalThatReaches, undefined)).toMatchObject({ allowed: false, action: "sts:AssumeRole" });
      expect(await assume(portalThatReaches, trusting(portal.arn), `arn:aws:iam::${REGISTRY}:role/pullgate-registry`)).toMatchObject({ allowed: false });
      // Nor into a role of an account the oracle does not hold.
      const elsewhere = judge(request("sts:AssumeRole", { RoleArn: "arn:aws:iam::999988887777:role/pullgate/pullgate-registry", RoleSessionName: "s" }), portalThatReaches, accounts(account({}), registry({}, trusting(portal.arn))));
      expect(await elsewhere).toMatchObject({ allowed: false });
    });

    it("judges a session of the registry role by that role's policy, in its account, on the repository's tags there", async () => {
      const session: Principal = {
        arn: `arn:aws:sts::${REGISTRY}:assumed-role/pullgate-registry/s`,
        accountId: REGISTRY,
        type: "AssumedRole",
        identityPolicies: [{ name: "pullgate-registry", policy: registryRolePolicyDocument({ accountId: REGISTRY, partition: "aws" }) }],
      };
      const views = accounts(account({}, { "acme/home": MARKED }), registry({ "acme/app": { tags: MARKED }, "acme/secret": { tags: {} } }));
      const write = (repositoryName: string, registryId?: string) =>
        judge(request("ecr:SetRepositoryPolicy", { repositoryName, policyText: "{}", ...(registryId ? { registryId } : {}) }), session, views);
      expect(await write("acme/app")).toEqual({ allowed: true });
      expect(await write("acme/app", REGISTRY)).toEqual({ allowed: true });
      expect(await write("acme/secret")).toEqual({
        allowed: false,
        action: "ecr:SetRepositoryPolicy",
        resource: `arn:aws:ecr:us-east-1:${REGISTRY}:repository/acme/secret`,
        reason: "because no identity-based policy allows it",
      });
      // The role reaches its own account's repositories only, even marked ones elsewhere.
      expect(await write("acme/home", ACCOUNT)).toMatchObject({ allowed: false, resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/acme/home` });
    });

    describe("a customer's pull from a repository in the registry account", () => {
      const user = `arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-c1-1`;
      const customer = (identity: object, boundary?: object): Principal => ({
        arn: user,
        accountId: ACCOUNT,
        userName: "pullgate-c1-1",
        identityPolicies: [{ name: "pull", policy: identity }],
        ...(boundary ? { boundary: { name: "boundary", policy: boundary } } : {}),
      });
      const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
      const pullsApp = policy({ Effect: "Allow", Action: PULL, Resource: `arn:aws:ecr:*:${REGISTRY}:repository/acme/app` });
      const pullsOther = policy({ Effect: "Allow", Action: PULL, Resource: `arn:aws:ecr:*:${REGISTRY}:repository/acme/other` });
      // The statement the product puts in the repository's policy for the portal account's users.
      const vendorUsers = (pattern: string) =>
        policy({
          Sid: "PullgateVendorUsers",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: PULL,
          Condition: { ArnLike: { "aws:PrincipalArn": pattern } },
        });
      const pull = (principal: Principal, repositoryPolicy?: unknown) =>
        judge(
          request("ecr:BatchGetImage", { registryId: REGISTRY, repositoryName: "acme/app" }),
          principal,
          accounts(account({}), registry({ "acme/app": { tags: MARKED, ...(repositoryPolicy ? { policy: repositoryPolicy } : {}) } })),
        );

      it("is allowed only when the user's identity policy and the repository's policy both allow it", async () => {
        expect(await pull(customer(pullsApp), vendorUsers(`arn:aws:iam::${ACCOUNT}:user/pullgate/*`))).toEqual({ allowed: true });
        // The identity side alone: the other account's repository policy does not name the user's account.
        expect(await pull(customer(pullsApp))).toEqual({
          allowed: false,
          action: "ecr:BatchGetImage",
          resource: `arn:aws:ecr:us-east-1:${REGISTRY}:repository/acme/app`,
          reason: "because no resource-based policy allows it",
        });
        // The repository side alone: across accounts the user's own account must allow it too.
        expect(await pull(customer(pullsOther), vendorUsers(`arn:aws:iam::${ACCOUNT}:user/pullgate/*`))).toMatchObject({
          allowed: false,
          action: "ecr:BatchGetImage",
          reason: "because no identity-based policy allows it",
        });
      });

      it("weighs the repository policy's condition on aws:PrincipalArn and the user's permissions boundary", async () => {
        // Users outside the pattern are not trusted by the repository.
        expect(await pull(customer(pullsApp), vendorUsers(`arn:aws:iam::${ACCOUNT}:user/elsewhere/*`))).toMatchObject({ allowed: false });
        // Across accounts the boundary caps what the identity policy grants.
        const onlyLogin = policy({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
        expect(await pull(customer(pullsApp, onlyLogin), vendorUsers(`arn:aws:iam::${ACCOUNT}:user/pullgate/*`))).toMatchObject({ allowed: false });
        const pullsAnything = policy({ Effect: "Allow", Action: PULL, Resource: "*" });
        expect(await pull(customer(pullsApp, pullsAnything), vendorUsers(`arn:aws:iam::${ACCOUNT}:user/pullgate/*`))).toEqual({ allowed: true });
      });
    });

    it("checks that users of the portal's account named in a registry repository's policy exist there, and knows both accounts' roots", async () => {
      const directory = (accountId: string, users: Record<string, IamUserState>): AccountDirectory => ({
        ...account(users),
        accountId,
        count: async () => 0,
        attachedPolicyCount: async () => 0,
        inlinePolicies: async () => [],
        roleExists: async () => false,
      });
      const home = directory(ACCOUNT, existing);
      const registryDirectory = directory(REGISTRY, {});
      const write = (principals: string[]) =>
        refusalOf(
          request("ecr:SetRepositoryPolicy", { repositoryName: "acme/app", policyText: JSON.stringify(policy({ Effect: "Allow", Principal: { AWS: principals }, Action: "ecr:BatchGetImage" })) }),
          AWS_LIMITS,
          new Set([ACCOUNT, REGISTRY]),
          registryDirectory,
          new Map(),
          (accountId) => (accountId === ACCOUNT ? home : null),
        );
      const invalid = { code: "InvalidParameterException", status: 400, message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'" };
      expect(await write([`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${REGISTRY}:root`, existing["pullgate-c1-1"].arn])).toBeNull();
      expect(await write([`arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-c1-2`])).toEqual(invalid);
      expect(await write(["arn:aws:iam::999988887777:root"])).toEqual(invalid);
    });
  });

  describe("IAM's quotas, each at its boundary", () => {
    // Lowered so that a test reaches them with a handful of principals and short documents.
    const limits: AwsLimits = {
      ...AWS_LIMITS,
      usersPerAccount: 4,
      rolesPerAccount: 3,
      managedPoliciesPerUser: 2,
      inlinePolicyCharactersPerUser: 400,
      trustPolicyCharacters: 250,
    };
    const USER = "pullgate-c1-1";

    /** An awsQuery call as the SDK puts it on the wire (a URL-encoded form), read back as the oracle reads it. */
    function iamCall(action: string, params: Record<string, string>): AwsRequest {
      const wire = {
        url: "/",
        method: "POST",
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIAPORTAL/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0" },
      } as unknown as http.IncomingMessage;
      const read = readAwsRequest(wire, Buffer.from(new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString()));
      expect(read?.action).toBe(`iam:${action}`);
      return { ...read!, action: read!.action! };
    }

    type Contents = { users?: number; roles?: number; attached?: Record<string, number>; inline?: Record<string, Record<string, string>> };
    /** The account as the quotas read it; `inline` holds each user's inline policies by name, as stored. */
    const directoryOf = ({ users = 0, roles: roleCount = 0, attached = {}, inline = {} }: Contents): AccountDirectory => ({
      ...account(existing),
      accountId: ACCOUNT,
      count: async (kind) => (kind === "users" ? users : roleCount),
      attachedPolicyCount: async (userName) => attached[userName] ?? 0,
      inlinePolicies: async (userName, except) => Object.entries(inline[userName] ?? {}).filter(([name]) => name !== except).map(([, document]) => document),
      roleExists: async (name) => name in roles,
    });
    const refusal = (action: string, params: Record<string, string>, contents: Contents = {}, within: AwsLimits = limits) =>
      refusalOf(iamCall(action, params), within, new Set([ACCOUNT]), directoryOf(contents), new Map());
    const limitExceeded = (message: string) => ({ code: "LimitExceeded", status: 409, message });

    /**
     * A policy whose size as IAM counts it (whitespace left out) is exactly `size`: its Sid pads it.
     * `indent` pretty-prints it, adding whitespace that IAM does not count.
     */
    function policyOfSize(size: number, indent?: string | number) {
      const shape = (Sid: string) => ({ Version: "2012-10-17", Statement: [{ Sid, Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" }] });
      const bare = JSON.stringify(shape("")).length;
      expect(size).toBeGreaterThan(bare);
      const document = JSON.stringify(shape("S".repeat(size - bare)), null, indent);
      expect(document.replace(/\s/g, "")).toHaveLength(size);
      return document;
    }
    function trustOfSize(size: number, indent?: string | number) {
      const shape = (Sid: string) => ({ Version: "2012-10-17", Statement: [{ Sid, Effect: "Allow", Principal: { AWS: portal.arn }, Action: "sts:AssumeRole" }] });
      const bare = JSON.stringify(shape("")).length;
      expect(size).toBeGreaterThan(bare);
      const document = JSON.stringify(shape("S".repeat(size - bare)), null, indent);
      expect(document.replace(/\s/g, "")).toHaveLength(size);
      return document;
    }

    it("refuses CreateUser once the account holds UsersPerAccount users", async () => {
      const create = (users: number) => refusal("CreateUser", { UserName: "pullgate-c9-1", Path: "/pullgate/" }, { users });
      expect(await create(3)).toBeNull();
      expect(await create(4)).toEqual(limitExceeded("Cannot exceed quota for UsersPerAccount: 4"));
      expect(await create(5)).toEqual(limitExceeded("Cannot exceed quota for UsersPerAccount: 4"));
    });

    it("refuses CreateRole once the account holds RolesPerAccount roles, counting roles and not users", async () => {
      const create = (contents: Contents) => refusal("CreateRole", { RoleName: "pullgate-r1", AssumeRolePolicyDocument: JSON.stringify(trusting(portal.arn)) }, contents);
      expect(await create({ roles: 2, users: 100 })).toBeNull();
      expect(await create({ roles: 3 })).toEqual(limitExceeded("Cannot exceed quota for RolesPerAccount: 3"));
      expect(await create({ roles: 4 })).toEqual(limitExceeded("Cannot exceed quota for RolesPerAccount: 3"));
      // Unlowered, AWS's own quota applies.
      expect(await refusal("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: "{}" }, { roles: 999 }, AWS_LIMITS)).toBeNull();
      expect(await refusal("CreateRole", { RoleName: "r", AssumeRolePolicyDocument: "{}" }, { roles: 1000 }, AWS_LIMITS)).toEqual(
        limitExceeded("Cannot exceed quota for RolesPerAccount: 1000"),
      );
    });

    it("refuses AttachUserPolicy to a user who already has PoliciesPerUser managed policies, counted per user", async () => {
      const attach = (UserName: string) => refusal("AttachUserPolicy", { UserName, PolicyArn: LOGIN }, { attached: { [USER]: 2, "pullgate-c1-2": 1 } });
      expect(await attach("pullgate-c1-2")).toBeNull();
      expect(await attach(USER)).toEqual(limitExceeded("Cannot exceed quota for PoliciesPerUser: 2"));
      expect(await refusal("AttachUserPolicy", { UserName: USER, PolicyArn: LOGIN }, { attached: { [USER]: 3 } })).toEqual(
        limitExceeded("Cannot exceed quota for PoliciesPerUser: 2"),
      );
    });

    it("refuses PutUserPolicy whose document with the user's other inline policies exceeds the user's policy size", async () => {
      const put = (PolicyName: string, document: string, inline: Record<string, string> = {}, UserName = USER) =>
        refusal("PutUserPolicy", { UserName, PolicyName, PolicyDocument: document }, { inline: { [USER]: inline } });
      const tooBig = limitExceeded(`Maximum policy size of 400 bytes exceeded for user ${USER}`);
      // Alone, a document may be as long as the quota.
      expect(await put("pull", policyOfSize(399))).toBeNull();
      expect(await put("pull", policyOfSize(400))).toBeNull();
      expect(await put("pull", policyOfSize(401))).toEqual(tooBig);
      // The user's other inline policies count with it.
      const other = { other: policyOfSize(200) };
      expect(await put("pull", policyOfSize(199), other)).toBeNull();
      expect(await put("pull", policyOfSize(200), other)).toBeNull();
      expect(await put("pull", policyOfSize(201), other)).toEqual(tooBig);
      expect(await put("pull", policyOfSize(150), { a: policyOfSize(125), b: policyOfSize(125) })).toBeNull();
      expect(await put("pull", policyOfSize(150), { a: policyOfSize(125), b: policyOfSize(126) })).toEqual(tooBig);
      // Another user's policies do not.
      expect(await put("pull", policyOfSize(300), other, "pullgate-c1-2")).toBeNull();
    });

    it("counts a replaced inline policy at its new size only", async () => {
      const put = (PolicyName: string, document: string) =>
        refusal("PutUserPolicy", { UserName: USER, PolicyName, PolicyDocument: document }, { inline: { [USER]: { pull: policyOfSize(250), other: policyOfSize(150) } } });
      // Replacing `pull` (250 + 150 stored): the new version and `other` are 400, the old one is gone.
      expect(await put("pull", policyOfSize(250))).toBeNull();
      expect(await put("pull", policyOfSize(251))).toEqual(limitExceeded(`Maximum policy size of 400 bytes exceeded for user ${USER}`));
      // A new name adds to both.
      expect(await put("extra", policyOfSize(111))).toEqual(limitExceeded(`Maximum policy size of 400 bytes exceeded for user ${USER}`));
    });

    it("does not count whitespace in inline policies: pretty-printed JSON over the quota in characters is under it", async () => {
      const pretty = policyOfSize(400, 4);
      expect(pretty.length).toBeGreaterThan(400);
      expect(pretty).toMatch(/\n {4}/);
      const put = (document: string, inline: Record<string, string> = {}) =>
        refusal("PutUserPolicy", { UserName: USER, PolicyName: "pull", PolicyDocument: document }, { inline: { [USER]: inline } });
      expect(await put(pretty)).toBeNull();
      expect(await put(policyOfSize(401, 4))).toEqual(limitExceeded(`Maximum policy size of 400 bytes exceeded for user ${USER}`));
      // Tabs and newlines too, and in the stored policies as well as the new one.
      const stored = { other: policyOfSize(200, "\t") };
      expect(stored.other).toContain("\t");
      expect(await put(policyOfSize(200, 2).replace(/\n/g, "\r\n"), stored)).toBeNull();
      expect(await put(policyOfSize(201, 2), stored)).toEqual(limitExceeded(`Maximum policy size of 400 bytes exceeded for user ${USER}`));
    });

    it("refuses a trust policy over ACLSizePerRole in CreateRole, whitespace not counted", async () => {
      const create = (document: string) => refusal("CreateRole", { RoleName: "pullgate-r1", AssumeRolePolicyDocument: document });
      const tooBig = limitExceeded("Cannot exceed quota for ACLSizePerRole: 250");
      expect(await create(trustOfSize(249))).toBeNull();
      expect(await create(trustOfSize(250))).toBeNull();
      expect(await create(trustOfSize(251))).toEqual(tooBig);
      expect(trustOfSize(250, 4).length).toBeGreaterThan(250);
      expect(await create(trustOfSize(250, 4))).toBeNull();
      expect(await create(trustOfSize(251, 4))).toEqual(tooBig);
    });

    it("refuses a trust policy over ACLSizePerRole in UpdateAssumeRolePolicy, whitespace not counted", async () => {
      const update = (document: string) => refusal("UpdateAssumeRolePolicy", { RoleName: "trusts-portal", PolicyDocument: document });
      const tooBig = limitExceeded("Cannot exceed quota for ACLSizePerRole: 250");
      expect(await update(trustOfSize(249))).toBeNull();
      expect(await update(trustOfSize(250))).toBeNull();
      expect(await update(trustOfSize(251))).toEqual(tooBig);
      expect(await update(trustOfSize(250, 4))).toBeNull();
      expect(await update(trustOfSize(251, 4))).toEqual(tooBig);
    });

    it("answers GetAccountSummary with the quotas in force, leaving the counts and other quotas as the emulator gave them", () => {
      // The emulator's answer (moto's layout): AWS's default quotas and the account's counts.
      const entries: [string, number][] = [
        ["Users", 3],
        ["UsersQuota", 5000],
        ["Roles", 2],
        ["RolesQuota", 1000],
        ["AttachedPoliciesPerUserQuota", 10],
        ["AttachedPoliciesPerRoleQuota", 10],
        ["UserPolicySizeQuota", 2048],
        ["AssumeRolePolicySizeQuota", 2048],
        ["RolePolicySizeQuota", 10240],
        ["PolicySizeQuota", 6144],
        ["GroupsPerUserQuota", 10],
      ];
      const summary = (values: Record<string, number>) =>
        [
          '<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">',
          "  <GetAccountSummaryResult>",
          "    <SummaryMap>",
          ...entries.map(([key]) => `      <entry>\n        <key>${key}</key>\n        <value>${values[key]}</value>\n      </entry>`),
          "    </SummaryMap>",
          "  </GetAccountSummaryResult>",
          "</GetAccountSummaryResponse>",
        ].join("\n");
      const emulator = Object.fromEntries(entries);
      expect(withQuotas(summary(emulator), limits)).toBe(
        summary({ ...emulator, UsersQuota: 4, RolesQuota: 3, AttachedPoliciesPerUserQuota: 2, UserPolicySizeQuota: 400, AssumeRolePolicySizeQuota: 250 }),
      );
      expect(withQuotas(summary(emulator), AWS_LIMITS)).toBe(summary(emulator));
    });
  });
});
