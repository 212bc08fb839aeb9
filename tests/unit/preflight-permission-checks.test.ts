import { describe, expect, it } from "vitest";
import { boundaryPolicyDocument } from "@/lib/aws/login-policy";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { registryRolePolicyDocument } from "@/lib/aws/registry-role";
import { pullsNeedTheMark } from "@/lib/health/preflight/customer-policies";
import { mustAllowChecks, mustDenyChecks, repositoryMustDenyChecks, sampleResource, satisfyingContext, type PermissionCheck } from "@/lib/health/preflight/portal-permission-checks";
import { preflightTable } from "@/lib/health/preflight/preflight-table";
import { principalAccount } from "@/lib/health/preflight/run-preflight";
import { evaluateAccess } from "@/lib/policy-evaluation";
import { matchesWildcard } from "@/lib/policy-evaluation/wildcard";

const ACCOUNT = "111122223333";
const options = {
  accountId: ACCOUNT,
  iamPath: "/pullgate/",
  loginPolicyName: "AmazonEC2ContainerRegistryLogin",
  boundaryPolicyName: "PullgateCustomerBoundary",
  cloudTrailBucket: "acme-trail",
  cloudTrailKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
};
const REGION = "eu-west-1";
const REGISTRY = "444455556666";
const policy = portalPolicyDocument(options);
const allow = mustAllowChecks(policy, REGION);
const PORTAL = `arn:aws:iam::${ACCOUNT}:user/pullgate-portal`;

type Statement = { Sid: string; Action: string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>> };
const statements = policy.Statement as Statement[];
const contextOf = (check: PermissionCheck) => Object.fromEntries(check.context.map((c) => [c.key, c.list ? c.values : c.values[0]!]));
const onlyResourceTags = (check: PermissionCheck) => check.context.every((c) => c.key.startsWith("aws:ResourceTag/") && !c.list);
const resourceTagsOf = (check: PermissionCheck) => Object.fromEntries(check.context.map((c) => [c.key.replace("aws:ResourceTag/", ""), c.values[0]!]));

/** Whether the operators portal-policy.ts uses hold for the context (a missing key never does). */
function conditionHolds(condition: Statement["Condition"], context: Record<string, string | string[]>) {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const wanted = Array.isArray(expected) ? expected : [expected];
      const given = context[key];
      if (given === undefined) return false;
      if (operator.startsWith("ForAllValues:")) return (Array.isArray(given) ? given : [given]).every((v) => wanted.includes(v));
      if (Array.isArray(given)) return false;
      return wanted.some((w) => (operator === "StringLike" ? matchesWildcard(w, given) : w === given));
    }),
  );
}

function evaluate(check: PermissionCheck, action: string, document: object = policy, account = ACCOUNT) {
  return evaluateAccess(
    { principalArn: PORTAL, principalAccountId: account, action, resourceArn: check.resourceArn, resourceAccountId: account, resourceTags: resourceTagsOf(check) },
    { identity: [{ name: "portal", document }] },
  );
}

describe("the preflight's must-allow list", () => {
  it("holds every action of every statement of the portal policy", () => {
    for (const statement of statements) {
      const checked = allow.filter((c) => c.name.startsWith(`${statement.Sid} on `)).flatMap((c) => c.actions);
      expect(new Set(checked), statement.Sid).toEqual(new Set(statement.Action));
    }
  });

  it("asks each on a resource its statement names and with condition keys its Condition accepts", () => {
    for (const check of allow) {
      const statement = statements.find((s) => check.name.startsWith(`${s.Sid} on `))!;
      const patterns = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      expect(patterns.some((p) => matchesWildcard(p, check.resourceArn)), check.name).toBe(true);
      expect(conditionHolds(statement.Condition, contextOf(check)), check.name).toBe(true);
      expect(check.resourceArn.includes(":ecr:*:"), check.name).toBe(false);
    }
  });

  it("is allowed by the policy, by the product's own evaluator, wherever only resource tags condition it", () => {
    const judged = allow.filter(onlyResourceTags);
    expect(judged.map((c) => c.name.split(" on ")[0])).toEqual(expect.arrayContaining(["ManageCustomerUsers", "ManageRepositoryPolicies", "ChangeOnlyUsersPullgateCreated", "ListUsersAndQuotas"]));
    for (const check of judged) for (const action of check.actions) expect(evaluate(check, action).allowed, `${action} on ${check.resourceArn}`).toBe(true);
  });

  it("samples wildcards with the region and a name, and satisfies each condition operator", () => {
    expect(sampleResource(`arn:aws:ecr:*:${ACCOUNT}:repository/*`, REGION)).toBe(`arn:aws:ecr:${REGION}:${ACCOUNT}:repository/pullgate-preflight-1`);
    expect(sampleResource(`arn:aws:iam::${ACCOUNT}:user/pullgate/*`, REGION)).toBe(`arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-preflight-1`);
    expect(sampleResource("*", REGION)).toBe("*");
    expect(sampleResource("arn:aws:iam::*:role/pullgate/pullgate-registry", REGION, REGISTRY)).toBe(`arn:aws:iam::${REGISTRY}:role/pullgate/pullgate-registry`);
    expect(() => sampleResource("arn:aws:iam::*:role/pullgate/pullgate-registry", REGION)).toThrow(/any account/);
    expect(satisfyingContext({ "ForAllValues:StringEquals": { "aws:TagKeys": ["pullgate-product"] }, StringEquals: { "aws:ResourceTag/pullgate:managed": "true" } })).toEqual([
      { key: "aws:TagKeys", values: ["pullgate-product"], list: true },
      { key: "aws:ResourceTag/pullgate:managed", values: ["true"], list: false },
    ]);
  });

  it("asks S3 object reads on an object and the bucket listing on the bucket", () => {
    const s3 = allow.filter((c) => c.actions.some((a) => a.startsWith("s3:")));
    expect(s3.map((c) => [c.actions, c.resourceArn])).toEqual([
      [["s3:ListBucket"], "arn:aws:s3:::acme-trail"],
      [["s3:GetObject"], "arn:aws:s3:::acme-trail/pullgate-preflight-1"],
    ]);
  });
});

describe("the must-allow list with registry accounts", () => {
  const other = "777788889999";
  const withRegistries = portalPolicyDocument({ ...options, registryRoleName: "pullgate-registry" });

  it("asks the portal's AssumeRole on each registry account's role, by its id", () => {
    const reach = mustAllowChecks(withRegistries, REGION, [REGISTRY, other]).filter((c) => c.name.startsWith("ReachRepositoriesInOtherAccounts on "));
    expect(reach.map((c) => [c.actions, c.resourceArn])).toEqual([
      [["sts:AssumeRole"], `arn:aws:iam::${REGISTRY}:role/pullgate/pullgate-registry`],
      [["sts:AssumeRole"], `arn:aws:iam::${other}:role/pullgate/pullgate-registry`],
    ]);
    for (const check of reach) expect(evaluate(check, "sts:AssumeRole", withRegistries).allowed, check.resourceArn).toBe(true);
  });

  it("refuses to sample a statement on any account without the accounts", () => {
    expect(() => mustAllowChecks(withRegistries, REGION)).toThrow(/any account/);
  });
});

describe("the registry role's must-allow and must-deny lists", () => {
  const account = { accountId: REGISTRY, partition: "aws" };
  const rolePolicy = registryRolePolicyDocument(account);
  const roleAllow = mustAllowChecks(rolePolicy, REGION);

  it("hold every action of every statement of the role's policy, in the role's account", () => {
    for (const statement of rolePolicy.Statement) {
      const checked = roleAllow.filter((c) => c.name.startsWith(`${statement.Sid} on `)).flatMap((c) => c.actions);
      expect(new Set(checked), statement.Sid).toEqual(new Set(statement.Action));
    }
    expect(roleAllow.every((c) => c.resourceArn === "*" || c.resourceArn.includes(`:${REGISTRY}:`))).toBe(true);
  });

  it("are allowed and denied by the role's policy, by the product's own evaluator, wherever only resource tags condition them", () => {
    for (const check of roleAllow.filter(onlyResourceTags)) {
      for (const action of check.actions) expect(evaluate(check, action, rolePolicy, REGISTRY).allowed, `${action} on ${check.resourceArn}`).toBe(true);
    }
    const deny = repositoryMustDenyChecks(account, REGION);
    expect(deny.map((c) => c.name)).toEqual([
      "no repository policy change on an unmarked repository",
      "no marking of a repository",
      "no other tag than the product's on a marked repository",
      "no pulls by the portal",
      "no pushes by the portal",
    ]);
    for (const check of deny) {
      for (const action of check.actions) {
        const statementsAllowing = (rolePolicy.Statement as Statement[]).filter((s) => s.Action.includes(action) && conditionHolds(s.Condition, contextOf(check)));
        expect(statementsAllowing.map((s) => s.Sid), `${check.name}: ${action}`).toEqual([]);
        if (onlyResourceTags(check)) expect(evaluate(check, action, rolePolicy, REGISTRY).allowed, `${check.name}: ${action}`).toBe(false);
      }
    }
  });
});

describe("the preflight's must-deny list", () => {
  it("is denied by the portal policy, for each case the evaluator can judge, and by its conditions for the rest", () => {
    for (const check of mustDenyChecks(options, REGION)) {
      for (const action of check.actions) {
        const allowedBy = statements.filter((s) => s.Action.includes(action) && conditionHolds(s.Condition, contextOf(check)));
        const resourceMatches = allowedBy.filter((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((p) => matchesWildcard(p, check.resourceArn)));
        expect(resourceMatches.map((s) => s.Sid), `${check.name}: ${action}`).toEqual([]);
        if (onlyResourceTags(check)) expect(evaluate(check, action).allowed, `${check.name}: ${action}`).toBe(false);
      }
    }
  });
});

describe("the boundary's mark", () => {
  it("is found on the boundary Pullgate creates and missed on one without it", () => {
    const boundary = boundaryPolicyDocument({ partition: "aws" });
    expect(pullsNeedTheMark(boundary)).toBe(true);
    const unmarked = { ...boundary, Statement: boundary.Statement.map((s) => ({ ...s, Condition: undefined })) };
    expect(pullsNeedTheMark(unmarked)).toBe(false);
  });
});

describe("the preflight's report", () => {
  it("reads the account of a user or role ARN, and nothing else", () => {
    expect(principalAccount(`arn:aws-cn:iam::${ACCOUNT}:role/ops/pullgate`)).toEqual({ accountId: ACCOUNT, partition: "aws-cn" });
    expect(principalAccount(`arn:aws:iam::${ACCOUNT}:group/pullgate`)).toBeNull();
  });

  it("prints one line per check with pass or FAIL and the fix", () => {
    const table = preflightTable([
      { group: "quotas", check: "IAM users", ok: true, note: "4100 of 5000: warning, past 80 %" },
      { group: "repository marks", check: "arn:aws:ecr:eu-west-1:1:repository/a", ok: false, note: "not tagged", fix: "aws ecr tag-resource" },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^quotas +IAM users +pass +4100 of 5000/);
    expect(lines[3]).toMatch(/FAIL +not tagged; fix: aws ecr tag-resource$/);
  });
});
