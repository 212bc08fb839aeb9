import type http from "node:http";
import { describe, expect, it } from "vitest";
import type { AccountView, IamUserState, Principal } from "../support/aws-oracle/account-view";
import { AWS_LIMITS, refusalOf, withQuotas, type AccountDirectory, type AwsLimits } from "../support/aws-oracle/aws-refusals";
import { readAwsRequest, type AwsRequest } from "../support/aws-oracle/aws-request";
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
