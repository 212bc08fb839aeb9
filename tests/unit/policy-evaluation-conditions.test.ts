import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  ECR_PULL_ACTIONS,
  evaluateAccess,
  evaluatePullAccess,
  type PolicySource,
} from "@/lib/policy-evaluation";
import { requestFactory } from "../support/access-request";
import { readPolicy } from "@/lib/policy-evaluation/statements";

const ACCOUNT = "123456789012";
const USER = `arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-abc-1`;
const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/acme/api`;
const PULL = [...ECR_PULL_ACTIONS];
const NOT_EVALUATED = "it has a Condition, which is not evaluated here";

const request = requestFactory(ACCOUNT, USER, REPO);
const tagged = (resourceTags: Record<string, string>) => request({ resourceTags });

const policy = (name: string, ...statements: object[]): PolicySource => ({
  name,
  document: { Version: "2012-10-17", Statement: statements },
});
const allowIf = (condition: unknown) =>
  policy("TaggedPull", {
    Sid: "PullTaggedRepositories",
    Effect: "Allow",
    Action: PULL,
    Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/*`,
    Condition: condition,
  });
const allowed = (condition: unknown, req: AccessRequest) => evaluateAccess(req, { identity: [allowIf(condition)] }).allowed;

const PULL_TAGGED = { StringEquals: { "aws:ResourceTag/pullgate-pull": ["1", "a", "2f"] } };
const UNMET = `statement "PullTaggedRepositories" of identity policy "TaggedPull" would allow it but its Condition does not hold for the repository's tags`;

describe("evaluateAccess with a tag-scoped allow", () => {
  it("allows when the repository's tag is one of the listed values", () => {
    expect(evaluateAccess(tagged({ "pullgate-pull": "a" }), { identity: [allowIf(PULL_TAGGED)] })).toEqual({
      allowed: true,
      reason: 'Allowed by identity policy "TaggedPull" (statement "PullTaggedRepositories")',
      allowedBy: [{ kind: "identity", source: "TaggedPull", sid: "PullTaggedRepositories" }],
      deniedBy: [],
    });
  });

  it("allows every pull action", () => {
    const decision = evaluatePullAccess(
      { principalArn: USER, principalAccountId: ACCOUNT, resourceArn: REPO, resourceAccountId: ACCOUNT, resourceTags: { "pullgate-pull": "2f" } },
      { identity: [allowIf(PULL_TAGGED)] },
    );
    expect(decision.allowed).toBe(true);
    expect(decision.missing).toEqual([]);
  });

  it("does not allow when the tag has another value, and names the statement whose Condition failed", () => {
    const decision = evaluateAccess(tagged({ "pullgate-pull": "2F" }), { identity: [allowIf(PULL_TAGGED)] });
    expect(decision).toEqual({
      allowed: false,
      reason: `No statement allows ecr:BatchGetImage on ${REPO}; ${UNMET}`,
      allowedBy: [],
      deniedBy: [],
    });
  });

  it("does not allow when the repository lacks the tag", () => {
    const decision = evaluateAccess(tagged({ team: "a" }), { identity: [allowIf(PULL_TAGGED)] });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain(UNMET);
  });

  it("reads the condition key's name case-insensitively, the tag key as written, and ecr:ResourceTag too", () => {
    expect(allowed({ StringEquals: { "AWS:RESOURCETAG/pullgate-pull": "1" } }, tagged({ "pullgate-pull": "1" }))).toBe(true);
    expect(allowed({ StringEquals: { "ecr:ResourceTag/pullgate-pull": "1" } }, tagged({ "pullgate-pull": "1" }))).toBe(true);
  });

  it("does not judge a tag the repository has only in another letter case", () => {
    const decision = evaluateAccess(tagged({ "Pullgate-Pull": "1" }), { identity: [allowIf(PULL_TAGGED)] });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain(NOT_EVALUATED);
  });
});

describe("evaluateAccess with condition operators", () => {
  it("holds an ...IfExists test when the tag is absent, and judges it when present", () => {
    const condition = { StringEqualsIfExists: { "aws:ResourceTag/team": "ci" } };
    expect(allowed(condition, tagged({}))).toBe(true);
    expect(allowed(condition, tagged({ team: "ci" }))).toBe(true);
    expect(allowed(condition, tagged({ team: "web" }))).toBe(false);
  });

  it("holds a negated test when the tag is absent, and fails it when any value matches", () => {
    const condition = { StringNotEquals: { "aws:ResourceTag/team": ["ci", "web"] } };
    expect(allowed(condition, tagged({}))).toBe(true);
    expect(allowed(condition, tagged({ team: "ops" }))).toBe(true);
    expect(allowed(condition, tagged({ team: "web" }))).toBe(false);
  });

  it("matches StringLike wildcards case-sensitively, and StringNotLike as their negation", () => {
    const like = { StringLike: { "aws:ResourceTag/team": ["ci-*", "w?b"] } };
    expect(allowed(like, tagged({ team: "ci-east" }))).toBe(true);
    expect(allowed(like, tagged({ team: "web" }))).toBe(true);
    expect(allowed(like, tagged({ team: "CI-east" }))).toBe(false);
    expect(allowed(like, tagged({ team: "webs" }))).toBe(false);
    expect(allowed(like, tagged({}))).toBe(false);
    expect(allowed({ StringNotLike: { "aws:ResourceTag/team": "ci-*" } }, tagged({ team: "ci-east" }))).toBe(false);
  });

  it("takes * literally in StringEquals", () => {
    expect(allowed({ StringEquals: { "aws:ResourceTag/team": "*" } }, tagged({ team: "ci" }))).toBe(false);
  });

  it("compares values case-insensitively with the IgnoreCase operators", () => {
    expect(allowed({ StringEqualsIgnoreCase: { "aws:ResourceTag/team": "CI" } }, tagged({ team: "ci" }))).toBe(true);
    expect(allowed({ StringNotEqualsIgnoreCase: { "aws:ResourceTag/team": "CI" } }, tagged({ team: "ci" }))).toBe(false);
  });

  it("tests a tag's absence or presence with Null, written as a string or a boolean", () => {
    const absent = { Null: { "aws:ResourceTag/team": "true" } };
    expect(allowed(absent, tagged({}))).toBe(true);
    expect(allowed(absent, tagged({ team: "ci" }))).toBe(false);
    const present = { Null: { "aws:ResourceTag/team": false } };
    expect(allowed(present, tagged({ team: "ci" }))).toBe(true);
    expect(allowed(present, tagged({}))).toBe(false);
  });

  it("ANDs the keys of one operator, and the operators", () => {
    const keys = { StringEquals: { "aws:ResourceTag/team": "ci", "aws:ResourceTag/env": "prod" } };
    expect(allowed(keys, tagged({ team: "ci", env: "prod" }))).toBe(true);
    expect(allowed(keys, tagged({ team: "ci", env: "dev" }))).toBe(false);
    const operators = { StringEquals: { "aws:ResourceTag/team": "ci" }, Null: { "aws:ResourceTag/frozen": "true" } };
    expect(allowed(operators, tagged({ team: "ci" }))).toBe(true);
    expect(allowed(operators, tagged({ team: "ci", frozen: "yes" }))).toBe(false);
  });
});

describe("evaluateAccess with a tag-scoped deny", () => {
  const repositoryPolicy: PolicySource = policy(
    "acme/api",
    { Sid: "Pull", Effect: "Allow", Principal: { AWS: USER }, Action: PULL },
    { Sid: "Frozen", Effect: "Deny", Principal: "*", Action: "ecr:*", Condition: { StringEquals: { "aws:ResourceTag/frozen": "yes" } } },
  );
  const evaluate = (req: AccessRequest) => evaluateAccess(req, { identity: [], resource: repositoryPolicy });

  it("denies, without a caveat, when its Condition holds", () => {
    const decision = evaluate(tagged({ frozen: "yes" }));
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe('Denied by statement "Frozen" of the repository policy');
    expect(decision.deniedBy).toEqual([{ kind: "resource", source: "acme/api", sid: "Frozen" }]);
  });

  it("does not apply when its Condition fails", () => {
    const decision = evaluate(tagged({ frozen: "no" }));
    expect(decision.allowed).toBe(true);
    expect(decision.deniedBy).toEqual([]);
  });

  it("counts as denying when the request carries no tags", () => {
    const decision = evaluate(request());
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(`Denied by statement "Frozen" of the repository policy (${NOT_EVALUATED}, so it counts as denying)`);
  });
});

describe("evaluateAccess with conditions it does not judge", () => {
  const uncertain = `statement "PullTaggedRepositories" of identity policy "TaggedPull" would allow it but does not count: ${NOT_EVALUATED}`;

  it("keeps the caveat when the request carries no tags", () => {
    const decision = evaluateAccess(request(), { identity: [allowIf(PULL_TAGGED)] });
    expect(decision).toEqual({
      allowed: false,
      reason: `No statement allows ecr:BatchGetImage on ${REPO}; ${uncertain}`,
      allowedBy: [],
      deniedBy: [],
    });
  });

  it.each([
    ["an unsupported operator", { ArnLike: { "aws:ResourceTag/team": "ci" } }],
    ["a set operator", { "ForAnyValue:StringEquals": { "aws:ResourceTag/team": "ci" } }],
    ["Null with IfExists", { NullIfExists: { "aws:ResourceTag/team": "false" } }],
    ["an unsupported key", { StringEquals: { "aws:PrincipalTag/team": "ci" } }],
    ["a supported test beside an unsupported one", { StringEquals: { "aws:ResourceTag/team": "ci", "aws:SourceVpce": "vpce-1" } }],
    ["a policy variable", { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } }],
    ["a value that is not a string", { StringEquals: { "aws:ResourceTag/team": 1 } }],
    ["an empty list of values", { StringEquals: { "aws:ResourceTag/team": [] } }],
    ["a Null value that is not a boolean", { Null: { "aws:ResourceTag/team": "yes" } }],
    ["a malformed Condition", "malformed"],
  ])("keeps the caveat for %s, even with tags", (_, condition) => {
    const decision = evaluateAccess(tagged({ team: "ci" }), { identity: [allowIf(condition)] });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(`No statement allows ecr:BatchGetImage on ${REPO}; ${uncertain}`);
  });
});

describe("readPolicy with conditions", () => {
  const read = (condition: unknown) =>
    readPolicy({ Statement: { Effect: "Allow", Action: "ecr:*", Resource: "*", Condition: condition } }, "identity").statements[0];

  it("carries the tests of a supported Condition", () => {
    expect(read({ StringLikeIfExists: { "aws:ResourceTag/team": "ci-*" }, Null: { "ecr:ResourceTag/env": true } })).toMatchObject({
      hasCondition: true,
      conditions: [
        { operator: "StringLike", ifExists: true, tagKey: "team", values: ["ci-*"] },
        { operator: "Null", tagKey: "env", absent: true },
      ],
    });
  });

  it("only notes an unsupported Condition", () => {
    const statement = read({ ArnLike: { "aws:SourceArn": "arn:aws:iam::*:role/x" } });
    expect(statement?.hasCondition).toBe(true);
    expect(statement).not.toHaveProperty("conditions");
  });
});

describe("evaluateAccess with a condition on the caller's ARN", () => {
  // A repository in another account trusting the portal account's customer users by their path.
  const HOME = "111122223333";
  const REGISTRY = "444455556666";
  const customer = `arn:aws:iam::${HOME}:user/pullgate/pullgate-abc-1`;
  const registryRepo = `arn:aws:ecr:us-east-1:${REGISTRY}:repository/acme/api`;
  const across = (principalArn: string) => ({ ...request(), principalArn, principalAccountId: HOME, resourceArn: registryRepo, resourceAccountId: REGISTRY, resourceTags: {} });
  const trust = (operator: string, pattern: string): PolicySource => ({
    name: "repository policy",
    document: {
      Version: "2012-10-17",
      Statement: [{ Sid: "PullgateVendorUsers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HOME}:root` }, Action: PULL, Condition: { [operator]: { "aws:PrincipalArn": pattern } } }],
    },
  });
  const ownPull = policy("PullgatePull", { Effect: "Allow", Action: PULL, Resource: "arn:aws:ecr:*:*:repository/*" });
  const pulls = (principalArn: string, resource: PolicySource, identity = [ownPull]) => evaluateAccess(across(principalArn), { identity, resource }).allowed;

  it("lets in a user under the path whose own policy allows the pull, and nobody else of the account", () => {
    const resource = trust("ArnLike", `arn:aws:iam::${HOME}:user/pullgate/*`);
    expect(pulls(customer, resource)).toBe(true);
    expect(pulls(`arn:aws:iam::${HOME}:user/ops/alice`, resource)).toBe(false);
    expect(pulls(`arn:aws:iam::${HOME}:role/pullgate/x`, resource)).toBe(false);
    // Across accounts the caller's own policies must allow it too.
    expect(pulls(customer, resource, [])).toBe(false);
  });

  it("matches ArnEquals and ArnLike within each of the ARN's fields, and negates the Not operators", () => {
    expect(pulls(customer, trust("ArnEquals", `arn:aws:iam::${HOME}:user/pullgate/*`))).toBe(true);
    // A wildcard in one field does not reach into the next.
    expect(pulls(customer, trust("ArnLike", `arn:aws:iam::*`))).toBe(false);
    expect(pulls(customer, trust("ArnNotLike", `arn:aws:iam::${HOME}:user/pullgate/*`))).toBe(false);
    expect(pulls(customer, trust("StringLike", `arn:aws:iam::${HOME}:user/pullgate/*`))).toBe(true);
    expect(pulls(customer, trust("ArnLike", "not an arn"))).toBe(false);
  });

  it("reads the test without needing the resource's tags", () => {
    const decision = evaluateAccess({ ...across(customer), resourceTags: undefined }, { identity: [ownPull], resource: trust("ArnLike", `arn:aws:iam::${HOME}:user/pullgate/*`) });
    expect(decision.allowed).toBe(true);
  });
});
