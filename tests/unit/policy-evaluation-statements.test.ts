import { describe, expect, it } from "vitest";
import { readPolicy } from "@/lib/policy-evaluation/statements";

const PULL_STATEMENT = {
  Sid: "PullgateCustomerPull",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:user/pullgate/pullgate-abc-1" },
  Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
};
const DOCUMENT = { Version: "2012-10-17", Statement: [PULL_STATEMENT] };
const NORMALIZED = {
  label: 'statement "PullgateCustomerPull"',
  sid: "PullgateCustomerPull",
  effect: "Allow",
  actions: { negated: false, patterns: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] },
  resources: null,
  principals: { negated: false, entries: [{ kind: "arn", arn: "arn:aws:iam::111122223333:user/pullgate/pullgate-abc-1" }] },
  hasCondition: false,
};

describe("readPolicy", () => {
  it("normalizes a parsed document", () => {
    expect(readPolicy(DOCUMENT, "resource")).toEqual({ statements: [NORMALIZED], problems: [] });
  });

  it("accepts the document as JSON text", () => {
    expect(readPolicy(`  ${JSON.stringify(DOCUMENT)}\n`, "resource")).toEqual({ statements: [NORMALIZED], problems: [] });
  });

  it("accepts the URL-encoded JSON that IAM returns", () => {
    const encoded = encodeURIComponent(JSON.stringify(DOCUMENT));
    expect(encoded.startsWith("%7B")).toBe(true);
    expect(readPolicy(encoded, "resource")).toEqual({ statements: [NORMALIZED], problems: [] });
  });

  it("accepts a single statement object and single strings", () => {
    const doc = { Statement: { Effect: "Deny", NotAction: "ecr:*", NotResource: "arn:aws:ecr:*:*:repository/acme/*" } };
    expect(readPolicy(doc, "identity").statements).toEqual([
      {
        label: "statement #1",
        effect: "Deny",
        actions: { negated: true, patterns: ["ecr:*"] },
        resources: { negated: true, patterns: ["arn:aws:ecr:*:*:repository/acme/*"] },
        principals: null,
        hasCondition: false,
      },
    ]);
  });

  it("reads every accepted form of principal", () => {
    const principal = (value: unknown) =>
      readPolicy({ Statement: { Effect: "Allow", Principal: value, Action: "ecr:*" } }, "resource").statements[0]?.principals;
    expect(principal("*")).toEqual({ negated: false, entries: [{ kind: "everyone" }] });
    expect(principal({ AWS: "*" })).toEqual({ negated: false, entries: [{ kind: "everyone" }] });
    expect(principal({ AWS: ["444455556666", "arn:aws:iam::555566667777:root"] })).toEqual({
      negated: false,
      entries: [
        { kind: "account", accountId: "444455556666" },
        { kind: "account", accountId: "555566667777" },
      ],
    });
    expect(principal({ Service: "ecs.amazonaws.com" })).toEqual({ negated: false, entries: [] });
  });

  it("requires Resource in identity policies but implies it in resource policies", () => {
    const doc = { Statement: [{ Effect: "Allow", Action: "ecr:*" }] };
    expect(readPolicy(doc, "identity")).toEqual({ statements: [], problems: ["statement #1 has no Resource"] });
    expect(readPolicy(doc, "boundary").statements).toEqual([]);
  });

  it("requires a principal in resource policies only", () => {
    const doc = { Statement: [{ Sid: "NoOne", Effect: "Allow", Action: "ecr:*", Resource: "*" }] };
    expect(readPolicy(doc, "resource")).toEqual({ statements: [], problems: ['statement "NoOne" has no Principal'] });
    expect(readPolicy(doc, "identity").statements).toHaveLength(1);
  });

  it("notes a Condition unless it is empty", () => {
    const withCondition = (condition: unknown) =>
      readPolicy({ Statement: { Effect: "Allow", Action: "ecr:*", Resource: "*", Condition: condition } }, "identity")
        .statements[0]?.hasCondition;
    expect(withCondition({ StringEquals: { "aws:PrincipalTag/team": "ci" } })).toBe(true);
    expect(withCondition("malformed")).toBe(true);
    expect(withCondition({})).toBe(false);
    expect(withCondition(undefined)).toBe(false);
  });

  it("skips malformed statements, says why, and keeps the rest", () => {
    const good = { Sid: "Good", Effect: "Allow", Action: "ecr:*", Resource: "*" };
    const doc = {
      Statement: [
        "not a statement",
        { Sid: "Both", Effect: "Allow", Action: "ecr:*", NotAction: "iam:*", Resource: "*" },
        { Sid: "Maybe", Effect: "allow", Action: "ecr:*", Resource: "*" },
        { Effect: "Deny", Action: ["ecr:*", 7], Resource: "*" },
        good,
      ],
    };
    const read = readPolicy(doc, "identity");
    expect(read.statements.map((s) => s.sid)).toEqual(["Good"]);
    expect(read.problems).toEqual([
      "statement #1 is not an object",
      'statement "Both" has both Action and NotAction',
      'statement "Maybe" has an Effect other than "Allow" or "Deny"',
      "statement #4 has an invalid Action (not a string or a list of strings)",
    ]);
  });

  it("never throws on unexpected documents", () => {
    const cases: [unknown, string][] = [
      ["{not json", "the document is not valid JSON"],
      ["%7B%E0%A4%A", "the document is not valid URL-encoded text"],
      [null, "the document is not a JSON object"],
      [42, "the document is not a JSON object"],
      [[DOCUMENT], "the document is not a JSON object"],
      [{ Version: "2012-10-17" }, "the document has no Statement"],
      [{ Statement: "Allow everything" }, "the document's Statement is neither an object nor a list"],
    ];
    for (const [document, problem] of cases) {
      expect(readPolicy(document, "identity")).toEqual({ statements: [], problems: [problem] });
    }
  });

  it("rejects a principal it cannot read", () => {
    const read = readPolicy({ Statement: { Effect: "Allow", Principal: { AWS: [1] }, Action: "ecr:*" } }, "resource");
    expect(read.problems).toEqual(["statement #1 has a Principal whose AWS entry is neither a string nor a list of strings"]);
  });
});
