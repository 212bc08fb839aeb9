import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  ECR_PULL_ACTIONS,
  evaluateAccess,
  evaluatePullAccess,
  type PolicySource,
} from "@/lib/policy-evaluation";
import { requestFactory } from "../support/access-request";

const ACCOUNT = "111122223333";
const OTHER_ACCOUNT = "444455556666";
const USER = `arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-abc-1`;
const OTHER_USER = `arn:aws:iam::${ACCOUNT}:user/pullgate/pullgate-def-1`;
const FOREIGN_USER = `arn:aws:iam::${OTHER_ACCOUNT}:user/ci/puller`;
const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/acme/api`;
const PULL = [...ECR_PULL_ACTIONS];

const request = requestFactory(ACCOUNT, USER, REPO);
const crossAccount = (overrides: Partial<AccessRequest> = {}) =>
  request({ principalArn: FOREIGN_USER, principalAccountId: OTHER_ACCOUNT, ...overrides });

const doc = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
const policy = (name: string, ...statements: object[]): PolicySource => ({ name, document: doc(...statements) });
const repositoryPolicy = (...statements: object[]) => policy("acme/api", ...statements);

const identityPull = policy("PullgatePull", {
  Sid: "Pull",
  Effect: "Allow",
  Action: PULL,
  Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/*`,
});
const boundaryWithPull = policy("PullgateBoundary", {
  Sid: "Ceiling",
  Effect: "Allow",
  Action: ["ecr:GetAuthorizationToken", ...PULL],
  Resource: "*",
});
const boundaryWithoutPull = policy("PullgateBoundary", {
  Sid: "Ceiling",
  Effect: "Allow",
  Action: "ecr:GetAuthorizationToken",
  Resource: "*",
});
// ECR repository policies name no Resource: the repository itself is meant.
const repoPullFor = (principal: unknown) =>
  repositoryPolicy({ Sid: "PullgateCustomerPull", Effect: "Allow", Principal: principal, Action: PULL });

describe("evaluateAccess within one account", () => {
  it("allows through a repository policy that names the user, with no identity policy", () => {
    const decision = evaluateAccess(request(), { identity: [], resource: repoPullFor({ AWS: [OTHER_USER, USER] }) });
    expect(decision).toEqual({
      allowed: true,
      reason: 'Allowed by statement "PullgateCustomerPull" of the repository policy',
      allowedBy: [{ kind: "resource", source: "acme/api", sid: "PullgateCustomerPull" }],
      deniedBy: [],
    });
  });

  it("does not allow through a repository policy that names someone else", () => {
    const decision = evaluateAccess(request(), { identity: [], resource: repoPullFor({ AWS: OTHER_USER }) });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(`No statement allows ecr:BatchGetImage on ${REPO}`);
    expect(decision.allowedBy).toEqual([]);
  });

  it("does not allow through a repository statement whose Resource names another repository", () => {
    const resource = repositoryPolicy({
      Effect: "Allow",
      Principal: { AWS: USER },
      Action: "ecr:*",
      Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/acme/web`,
    });
    expect(evaluateAccess(request(), { identity: [], resource }).allowed).toBe(false);
  });

  it("allows through an identity policy alone", () => {
    const decision = evaluateAccess(request(), { identity: [identityPull] });
    expect(decision).toEqual({
      allowed: true,
      reason: 'Allowed by identity policy "PullgatePull" (statement "Pull")',
      allowedBy: [{ kind: "identity", source: "PullgatePull", sid: "Pull" }],
      deniedBy: [],
    });
  });

  it("does not allow an action the identity policy leaves out", () => {
    const decision = evaluateAccess(request({ action: "ecr:PutImage" }), { identity: [identityPull] });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(`No statement allows ecr:PutImage on ${REPO}`);
  });

  it("allows an identity grant that the permissions boundary also allows", () => {
    const decision = evaluateAccess(request(), { identity: [identityPull], boundary: boundaryWithPull });
    expect(decision.allowed).toBe(true);
    expect(decision.reason).toBe(
      'Allowed by identity policy "PullgatePull" (statement "Pull"), within the permissions boundary "PullgateBoundary"',
    );
  });

  it("limits an identity grant to the permissions boundary", () => {
    const decision = evaluateAccess(request(), { identity: [identityPull], boundary: boundaryWithoutPull });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      'Identity policy "PullgatePull" allows it but the permissions boundary "PullgateBoundary" does not',
    );
    expect(decision.allowedBy).toEqual([{ kind: "identity", source: "PullgatePull", sid: "Pull" }]);
  });

  it("says a boundary alone grants nothing", () => {
    const decision = evaluateAccess(request(), { identity: [], boundary: boundaryWithPull });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      `Only the permissions boundary "PullgateBoundary" allows ecr:BatchGetImage on ${REPO}, and a boundary grants nothing by itself`,
    );
  });

  it("does not limit a repository policy naming the user ARN by the boundary", () => {
    const decision = evaluateAccess(request(), {
      identity: [],
      boundary: boundaryWithoutPull,
      resource: repoPullFor({ AWS: USER }),
    });
    expect(decision.allowed).toBe(true);
    expect(decision.reason).toBe('Allowed by statement "PullgateCustomerPull" of the repository policy');
  });

  it("keeps a repository grant to everyone within the boundary", () => {
    const resource = repoPullFor("*");
    expect(evaluateAccess(request(), { identity: [], resource }).reason).toBe(
      'Allowed by statement "PullgateCustomerPull" of the repository policy (Principal "*")',
    );
    expect(evaluateAccess(request(), { identity: [], boundary: boundaryWithPull, resource })).toMatchObject({
      allowed: true,
      reason:
        'Allowed by statement "PullgateCustomerPull" of the repository policy (Principal "*"), within the permissions boundary "PullgateBoundary"',
    });
    expect(evaluateAccess(request(), { identity: [], boundary: boundaryWithoutPull, resource })).toMatchObject({
      allowed: false,
      reason:
        'Statement "PullgateCustomerPull" of the repository policy allows everyone ("*") but the permissions boundary "PullgateBoundary" does not',
    });
  });

  it("takes a statement naming both the account and everyone as a grant to everyone", () => {
    const decision = evaluateAccess(request(), { identity: [], resource: repoPullFor({ AWS: [ACCOUNT, "*"] }) });
    expect(decision.allowed).toBe(true);
  });

  it("treats a repository grant to the account as deferring to identity policies", () => {
    const resource = repoPullFor({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    expect(evaluateAccess(request(), { identity: [], resource })).toMatchObject({
      allowed: false,
      reason:
        "Statement \"PullgateCustomerPull\" of the repository policy names the principal's account, which defers to the account's identity policies, and none of them allows it",
    });
    expect(evaluateAccess(request(), { identity: [identityPull], resource }).allowed).toBe(true);
  });
});

describe("evaluateAccess with an explicit deny", () => {
  const denyPull = { Sid: "Freeze", Effect: "Deny", Action: "ecr:*", Resource: "*" };
  const cases: [string, Parameters<typeof evaluateAccess>[1], string, string][] = [
    [
      "an identity policy",
      { identity: [identityPull, policy("Guardrail", denyPull)], resource: repoPullFor({ AWS: USER }) },
      'Denied by statement "Freeze" of identity policy "Guardrail"',
      "Guardrail",
    ],
    [
      "the permissions boundary",
      {
        identity: [identityPull],
        boundary: policy("PullgateBoundary", { Effect: "Allow", Action: "*", Resource: "*" }, denyPull),
        resource: repoPullFor({ AWS: USER }),
      },
      'Denied by statement "Freeze" of the permissions boundary "PullgateBoundary"',
      "PullgateBoundary",
    ],
    [
      "the repository policy",
      {
        identity: [identityPull],
        resource: repositoryPolicy({ Sid: "Freeze", Effect: "Deny", Principal: "*", Action: "ecr:BatchGetImage" }),
      },
      'Denied by statement "Freeze" of the repository policy',
      "acme/api",
    ],
  ];

  it.each(cases)("lets a deny in %s win over every allow", (_where, policies, reason, source) => {
    const decision = evaluateAccess(request(), policies);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(reason);
    expect(decision.deniedBy).toEqual([expect.objectContaining({ source, sid: "Freeze" })]);
    expect(decision.allowedBy.length).toBeGreaterThan(0);
  });

  it("does not deny what the deny statement does not cover", () => {
    const resource = repositoryPolicy({ Sid: "NoPush", Effect: "Deny", Principal: "*", Action: "ecr:PutImage" });
    const decision = evaluateAccess(request(), { identity: [identityPull], resource });
    expect(decision.allowed).toBe(true);
    expect(decision.deniedBy).toEqual([]);
  });
});

describe("evaluateAccess with NotAction and NotResource", () => {
  it("allows every action NotAction leaves out, and no other", () => {
    const identity = [policy("AllButIam", { Effect: "Allow", NotAction: ["iam:*", "ecr:Put*"], Resource: "*" })];
    expect(evaluateAccess(request(), { identity })).toMatchObject({
      allowed: true,
      reason: 'Allowed by identity policy "AllButIam" (statement #1)',
      allowedBy: [{ kind: "identity", source: "AllButIam" }],
    });
    expect(evaluateAccess(request({ action: "ecr:PutImage" }), { identity }).allowed).toBe(false);
  });

  it("denies every resource NotResource leaves out, and no other", () => {
    const identity = [
      identityPull,
      policy("OnlyAcme", {
        Sid: "OutsideAcme",
        Effect: "Deny",
        Action: "ecr:*",
        NotResource: `arn:aws:ecr:*:${ACCOUNT}:repository/acme/*`,
      }),
    ];
    expect(evaluateAccess(request(), { identity }).allowed).toBe(true);
    const elsewhere = evaluateAccess(request({ resourceArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/globex/api` }), {
      identity,
    });
    expect(elsewhere).toMatchObject({ allowed: false, reason: 'Denied by statement "OutsideAcme" of identity policy "OnlyAcme"' });
  });

  it("denies everyone but the principals NotPrincipal names with their account", () => {
    const denyAllBut = (...names: string[]) =>
      repositoryPolicy(
        { Sid: "PullgateCustomerPull", Effect: "Allow", Principal: { AWS: USER }, Action: PULL },
        { Sid: "OnlyListed", Effect: "Deny", NotPrincipal: { AWS: names }, Action: "ecr:*" },
      );
    const evaluate = (...names: string[]) => evaluateAccess(request(), { identity: [], resource: denyAllBut(...names) });
    expect(evaluate(USER, ACCOUNT).allowed).toBe(true);
    // AWS may check the account before the user, so naming only the user does not exempt it.
    expect(evaluate(USER).reason).toBe('Denied by statement "OnlyListed" of the repository policy');
    expect(evaluate(OTHER_USER, ACCOUNT).allowed).toBe(false);
  });
});

describe("evaluateAccess with conditions", () => {
  const condition = { StringEquals: { "aws:PrincipalTag/team": "ci" } };

  it("does not count an Allow with a Condition, and says so", () => {
    const identity = [
      policy("TaggedPull", { Sid: "IfTagged", Effect: "Allow", Action: PULL, Resource: "*", Condition: condition }),
    ];
    const decision = evaluateAccess(request(), { identity });
    expect(decision).toEqual({
      allowed: false,
      reason: `No statement allows ecr:BatchGetImage on ${REPO}; statement "IfTagged" of identity policy "TaggedPull" would allow it but does not count: it has a Condition, which is not evaluated here`,
      allowedBy: [],
      deniedBy: [],
    });
  });

  it("counts a Deny with a Condition, and says so", () => {
    const resource = repositoryPolicy(
      { Sid: "PullgateCustomerPull", Effect: "Allow", Principal: { AWS: USER }, Action: PULL },
      { Sid: "OutsideVpc", Effect: "Deny", Principal: "*", Action: "ecr:*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1" } } },
    );
    const decision = evaluateAccess(request(), { identity: [], resource });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      'Denied by statement "OutsideVpc" of the repository policy (it has a Condition, which is not evaluated here, so it counts as denying)',
    );
    expect(decision.deniedBy).toEqual([{ kind: "resource", source: "acme/api", sid: "OutsideVpc" }]);
  });

  it("does not count an Allow with NotPrincipal", () => {
    const resource = repositoryPolicy({ Sid: "AllBut", Effect: "Allow", NotPrincipal: { AWS: OTHER_USER }, Action: PULL });
    const decision = evaluateAccess(request(), { identity: [], resource });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain("NotPrincipal with Allow");
  });
});

describe("evaluateAccess across accounts", () => {
  const foreignIdentity = policy("CiPull", { Sid: "Pull", Effect: "Allow", Action: "ecr:*", Resource: "*" });

  it.each([OTHER_ACCOUNT, `arn:aws:iam::${OTHER_ACCOUNT}:root`])(
    "allows when the repository policy names the caller's account as %s and the caller's identity policy allows",
    (principal) => {
      const decision = evaluateAccess(crossAccount(), { identity: [foreignIdentity], resource: repoPullFor({ AWS: principal }) });
      expect(decision).toEqual({
        allowed: true,
        reason: 'Allowed by statement "PullgateCustomerPull" of the repository policy and by identity policy "CiPull" (statement "Pull")',
        allowedBy: [
          { kind: "identity", source: "CiPull", sid: "Pull" },
          { kind: "resource", source: "acme/api", sid: "PullgateCustomerPull" },
        ],
        deniedBy: [],
      });
    },
  );

  it("does not allow on the repository policy alone", () => {
    const decision = evaluateAccess(crossAccount(), { identity: [], resource: repoPullFor({ AWS: FOREIGN_USER }) });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      "Cross-account access needs both the repository policy and the principal's own policies to allow it, but no identity policy allows it",
    );
  });

  it("does not allow on the identity policy alone", () => {
    const withoutPolicy = evaluateAccess(crossAccount(), { identity: [foreignIdentity] });
    expect(withoutPolicy.reason).toBe(
      "Cross-account access needs both the repository policy and the principal's own policies to allow it, but the repository has no policy",
    );
    const namingAnotherAccount = evaluateAccess(crossAccount(), {
      identity: [foreignIdentity],
      resource: repoPullFor({ AWS: `arn:aws:iam::999988887777:root` }),
    });
    expect(namingAnotherAccount).toMatchObject({
      allowed: false,
      reason:
        "Cross-account access needs both the repository policy and the principal's own policies to allow it, but the repository policy does not allow this principal",
    });
  });

  it("keeps the caller's side within its permissions boundary", () => {
    const decision = evaluateAccess(crossAccount(), {
      identity: [foreignIdentity],
      boundary: boundaryWithoutPull,
      resource: repoPullFor("*"),
    });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      'Cross-account access needs both the repository policy and the principal\'s own policies to allow it, but the permissions boundary "PullgateBoundary" does not allow it',
    );
  });
});

describe("evaluateAccess with documents as AWS returns them", () => {
  it("reads JSON text and URL-encoded JSON", () => {
    const text = JSON.stringify(doc({ Sid: "Pull", Effect: "Allow", Action: "ecr:BatchGetImage", Resource: REPO }));
    expect(evaluateAccess(request(), { identity: [{ name: "Inline", document: text }] }).allowed).toBe(true);
    const encoded = encodeURIComponent(text);
    expect(evaluateAccess(request(), { identity: [{ name: "Managed", document: encoded }] })).toMatchObject({
      allowed: true,
      reason: 'Allowed by identity policy "Managed" (statement "Pull")',
    });
    const repoText = JSON.stringify(repoPullFor({ AWS: USER }).document);
    expect(evaluateAccess(request(), { identity: [], resource: { name: "acme/api", document: repoText } }).allowed).toBe(true);
  });

  it("does not throw on malformed documents, and names them when nothing allows", () => {
    const identity: PolicySource[] = [
      { name: "Broken", document: "{not json" },
      { name: "Odd", document: { Statement: [{ Effect: "Allow", Action: 42, Resource: "*" }] } },
      { name: "Empty", document: null },
    ];
    const decision = evaluateAccess(request(), { identity });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe(
      [
        `No statement allows ecr:BatchGetImage on ${REPO}`,
        'could not read all of identity policy "Broken": the document is not valid JSON',
        'could not read all of identity policy "Odd": statement #1 has an invalid Action (not a string or a list of strings)',
        'could not read all of identity policy "Empty": the document is not a JSON object',
      ].join("; "),
    );
  });

  it("still allows through a readable policy beside a malformed one", () => {
    const decision = evaluateAccess(request(), { identity: [{ name: "Broken", document: "{" }, identityPull] });
    expect(decision.allowed).toBe(true);
    expect(decision.reason).toBe('Allowed by identity policy "PullgatePull" (statement "Pull")');
  });
});

describe("evaluatePullAccess", () => {
  const pullRequest = { principalArn: USER, principalAccountId: ACCOUNT, resourceArn: REPO, resourceAccountId: ACCOUNT };

  it("allows a pull when every pull action is allowed", () => {
    const decision = evaluatePullAccess(pullRequest, { identity: [], resource: repoPullFor({ AWS: USER }) });
    expect(decision.allowed).toBe(true);
    expect(decision.missing).toEqual([]);
    expect(decision.decisions.map((d) => d.action)).toEqual([
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]);
    expect(decision.reason).toBe(
      'ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability are all allowed: Allowed by statement "PullgateCustomerPull" of the repository policy',
    );
  });

  it("refuses a pull and names the action that is missing", () => {
    const identity = [
      policy("PartialPull", {
        Sid: "Pull",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
        Resource: REPO,
      }),
    ];
    const decision = evaluatePullAccess(pullRequest, { identity });
    expect(decision.allowed).toBe(false);
    expect(decision.missing).toEqual(["ecr:GetDownloadUrlForLayer"]);
    expect(decision.reason).toBe(
      `Missing ecr:GetDownloadUrlForLayer: No statement allows ecr:GetDownloadUrlForLayer on ${REPO}`,
    );
  });

  it("names the actions missing for one cause together, and each other cause on its own", () => {
    const nothing = evaluatePullAccess(pullRequest, { identity: [], resource: repoPullFor({ AWS: OTHER_USER }) });
    expect(nothing.missing).toEqual(PULL);
    expect(nothing.reason).toBe(
      `Missing ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability: No statement allows them on ${REPO}`,
    );

    const frozen = repositoryPolicy({ Sid: "Freeze", Effect: "Deny", Principal: "*", Action: "ecr:BatchGetImage" });
    const mixed = evaluatePullAccess(pullRequest, { identity: [], resource: frozen });
    expect(mixed.reason).toBe(
      [
        'Missing ecr:BatchGetImage: Denied by statement "Freeze" of the repository policy',
        `Missing ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability: No statement allows them on ${REPO}`,
      ].join("; "),
    );
  });

  it("evaluates the actions it is given", () => {
    const decision = evaluatePullAccess(pullRequest, { identity: [identityPull] }, ["ecr:BatchGetImage", "ecr:DescribeImages"]);
    expect(decision.missing).toEqual(["ecr:DescribeImages"]);
    expect(decision.allowed).toBe(false);
  });
});
