import { describe, expect, it } from "vitest";
import {
  assertPolicyFits,
  PolicyDocumentError,
  PULL_ACTIONS,
  PULL_STATEMENT_SID,
  pullPrincipals,
  REPOSITORY_POLICY_MAX_CHARS,
  samePolicy,
  VENDOR_USERS_STATEMENT_SID,
  withPullPrincipals,
  withVendorUsers,
} from "@/lib/aws/pull-policy";

const A = "arn:aws:iam::111122223333:user/pullgate/pullgate-a-1";
const B = "arn:aws:iam::111122223333:user/pullgate/pullgate-b-1";
const C = "arn:aws:iam::111122223333:user/pullgate/pullgate-c-1";

// Unusual key order and extra fields on purpose: a rewrite must not normalise them.
const FOREIGN = {
  Effect: "Allow",
  Sid: "VendorCiPush",
  Principal: { AWS: "arn:aws:iam::123456789012:role/vendor-ci" },
  Action: ["ecr:PutImage", "ecr:InitiateLayerUpload"],
  Condition: { StringEquals: { "aws:PrincipalTag/team": "ci" } },
};
const OTHER = { Sid: "Audit", Effect: "Deny", Principal: "*", Action: "ecr:DeleteRepository" };

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const pullStatement = (principals: unknown) => ({
  Sid: PULL_STATEMENT_SID,
  Effect: "Allow",
  Principal: { AWS: principals },
  Action: PULL_ACTIONS,
});
const statements = (text: string | null) => (JSON.parse(text!) as { Statement: Record<string, unknown>[] }).Statement;

describe("withPullPrincipals", () => {
  it("creates a policy holding only the pull statement when there was none", () => {
    const text = withPullPrincipals(null, [B, A]);
    expect(JSON.parse(text!)).toEqual({ Version: "2012-10-17", Statement: [pullStatement([A, B])] });
  });

  it("keeps foreign statements byte-for-byte and in their order", () => {
    const current = policy(FOREIGN, pullStatement([A]), OTHER);
    const next = withPullPrincipals(current, [A, B]);
    const out = statements(next);
    expect(out).toHaveLength(3);
    expect(JSON.stringify(out[0])).toBe(JSON.stringify(FOREIGN));
    expect(JSON.stringify(out[1])).toBe(JSON.stringify(OTHER));
    expect(out[2]).toEqual(pullStatement([A, B]));
  });

  it("keeps top-level fields other than Statement", () => {
    const current = JSON.stringify({ Version: "2008-10-17", Id: "vendor-policy", Statement: [FOREIGN] });
    const doc = JSON.parse(withPullPrincipals(current, [A])!);
    expect(doc.Version).toBe("2008-10-17");
    expect(doc.Id).toBe("vendor-policy");
  });

  it("sorts and dedupes principals, so the same set always gives the same text", () => {
    const one = withPullPrincipals(policy(FOREIGN), [C, A, B, A, C]);
    const two = withPullPrincipals(policy(FOREIGN), new Set([B, C, A]));
    expect(statements(one)[1]!.Principal).toEqual({ AWS: [A, B, C] });
    expect(one).toBe(two);
  });

  it("replaces the previous principals rather than merging them", () => {
    const next = withPullPrincipals(policy(pullStatement([A, B])), [C]);
    expect(pullPrincipals(next)).toEqual([C]);
  });

  it("removes the Pullgate statement when no principal remains and keeps the others", () => {
    const next = withPullPrincipals(policy(FOREIGN, pullStatement([A])), []);
    expect(statements(next)).toEqual([FOREIGN]);
    expect(next).not.toContain(PULL_STATEMENT_SID);
  });

  it("returns null when no statement at all remains", () => {
    expect(withPullPrincipals(policy(pullStatement([A, B])), [])).toBeNull();
    expect(withPullPrincipals(null, [])).toBeNull();
    expect(withPullPrincipals("", [])).toBeNull();
  });

  it("accepts a single-string Principal.AWS in the current pull statement", () => {
    const current = policy(FOREIGN, pullStatement(A));
    expect(pullPrincipals(current)).toEqual([A]);
    const next = withPullPrincipals(current, [...pullPrincipals(current), B]);
    expect(statements(next)).toEqual([FOREIGN, pullStatement([A, B])]);
  });

  it("accepts a Statement that is a single object rather than an array", () => {
    const current = JSON.stringify({ Version: "2012-10-17", Statement: FOREIGN });
    const next = withPullPrincipals(current, [A]);
    expect(statements(next)).toEqual([FOREIGN, pullStatement([A])]);

    const onlyOurs = JSON.stringify({ Version: "2012-10-17", Statement: pullStatement(A) });
    expect(pullPrincipals(onlyOurs)).toEqual([A]);
    expect(withPullPrincipals(onlyOurs, [])).toBeNull();
  });

  it("throws PolicyDocumentError on text that is not JSON or not an object", () => {
    expect(() => withPullPrincipals("{not json", [A])).toThrow(PolicyDocumentError);
    expect(() => withPullPrincipals("null", [A])).toThrow(PolicyDocumentError);
    expect(() => withPullPrincipals("42", [A])).toThrow(PolicyDocumentError);
    expect(() => pullPrincipals("{not json")).toThrow(PolicyDocumentError);
  });
});

describe("withVendorUsers", () => {
  const users = {
    accountRootArn: "arn:aws:iam::111122223333:root",
    principalArnPatterns: ["arn:aws:iam::111122223333:user/pullgate/*", "arn:aws:iam::111122223333:role/pullgate/pullgate-registry-broker"],
  };
  const trust = {
    Sid: VENDOR_USERS_STATEMENT_SID,
    Effect: "Allow",
    Principal: { AWS: users.accountRootArn },
    Action: PULL_ACTIONS,
    Condition: { ArnLike: { "aws:PrincipalArn": users.principalArnPatterns } },
  };

  it("trusts the portal account's principals Pullgate names, and no one else of it", () => {
    expect(statements(withVendorUsers(null, users))).toEqual([trust]);
  });

  it("keeps foreign statements and Pullgate's pull statement, and writes the trust once", () => {
    const current = policy(FOREIGN, pullStatement([A]));
    const trusted = withVendorUsers(current, users);
    expect(statements(trusted)).toEqual([FOREIGN, pullStatement([A]), trust]);
    expect(withVendorUsers(trusted, users)).toBe(trusted);
    expect(pullPrincipals(withPullPrincipals(trusted, [A, B]))).toEqual([A, B]);
    expect(statements(withPullPrincipals(trusted, []))).toEqual([FOREIGN, trust]);
  });

  it("takes the trust out when none is wanted, and null when nothing remains", () => {
    expect(statements(withVendorUsers(policy(OTHER, trust), null))).toEqual([OTHER]);
    expect(withVendorUsers(policy(trust), null)).toBeNull();
  });
});

describe("pullPrincipals", () => {
  it("reads only Pullgate's statement and ignores non-string entries", () => {
    expect(pullPrincipals(policy(FOREIGN))).toEqual([]);
    expect(pullPrincipals(null)).toEqual([]);
    expect(pullPrincipals(policy(FOREIGN, pullStatement([A, 7, null, B])))).toEqual([A, B]);
  });
});

describe("samePolicy", () => {
  it("ignores key order and whitespace", () => {
    const a = policy(FOREIGN, pullStatement([A, B]));
    const reordered = `{
      "Statement": [
        { "Action": ${JSON.stringify(FOREIGN.Action)}, "Condition": ${JSON.stringify(FOREIGN.Condition)},
          "Principal": ${JSON.stringify(FOREIGN.Principal)}, "Sid": "VendorCiPush", "Effect": "Allow" },
        { "Principal": { "AWS": ["${A}", "${B}"] }, "Action": ${JSON.stringify(PULL_ACTIONS)},
          "Effect": "Allow", "Sid": "${PULL_STATEMENT_SID}" }
      ],
      "Version": "2012-10-17"
    }`;
    expect(samePolicy(a, reordered)).toBe(true);
  });

  it("ignores the order of Pullgate's principals and a string versus a one-element list", () => {
    expect(samePolicy(policy(pullStatement([A, B])), policy(pullStatement([B, A])))).toBe(true);
    expect(samePolicy(policy(pullStatement(A)), policy(pullStatement([A])))).toBe(true);
  });

  it("sees a different principal set, a changed foreign statement or a missing policy", () => {
    expect(samePolicy(policy(pullStatement([A, B])), policy(pullStatement([A])))).toBe(false);
    expect(samePolicy(policy(FOREIGN), policy({ ...FOREIGN, Effect: "Deny" }))).toBe(false);
    expect(samePolicy(policy(FOREIGN), null)).toBe(false);
    expect(samePolicy(null, null)).toBe(true);
  });

  it("treats statement order as meaningful for foreign statements", () => {
    expect(samePolicy(policy(FOREIGN, OTHER), policy(OTHER, FOREIGN))).toBe(false);
  });
});

describe("assertPolicyFits", () => {
  it("accepts exactly 10,240 characters and rejects 10,241", () => {
    expect(REPOSITORY_POLICY_MAX_CHARS).toBe(10_240);
    expect(() => assertPolicyFits("x".repeat(10_240))).not.toThrow();
    expect(() => assertPolicyFits("x".repeat(10_241))).toThrow(PolicyDocumentError);
    expect(() => assertPolicyFits("x".repeat(10_241))).toThrow(/10241 characters/);
  });
});
