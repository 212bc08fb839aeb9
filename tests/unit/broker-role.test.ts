import { describe, expect, it } from "vitest";
import {
  BROKER_SESSION_TAG,
  BROKER_TOKEN_TAG,
  brokerRolePolicyDocument,
  fitRevokedSessions,
  revokedSessionsOf,
  revokedSessionsPolicy,
  ROLE_POLICIES_MAX_CHARS,
} from "@/lib/aws/broker-role";

// IAM counts a role's inline policies together, without whitespace.
const chars = (document: object | null) => JSON.stringify(document).replace(/\s/g, "").length;
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, "0")}${"x".repeat(20)}`);

describe("the broker role's revoked-sessions policy", () => {
  it("denies customers by source identity and tokens by their session tag, in one document; none when nothing is denied", () => {
    expect(revokedSessionsPolicy({ customers: [], tokens: [] })).toBeNull();
    expect(revokedSessionsPolicy({ customers: ["c2", "c1"], tokens: ["t2", "t1"] })).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "EndRevokedCustomersSessions", Effect: "Deny", Action: "ecr:*", Resource: "*", Condition: { StringEquals: { "aws:SourceIdentity": ["c1", "c2"] } } },
        { Sid: "EndRevokedTokensSessions", Effect: "Deny", Action: "ecr:*", Resource: "*", Condition: { StringEquals: { [`aws:PrincipalTag/${BROKER_TOKEN_TAG}`]: ["t1", "t2"] } } },
      ],
    });
    // A statement per kind only when it names someone: an empty condition list would deny nothing but still be written.
    expect(revokedSessionsPolicy({ customers: [], tokens: ["t1"] })!.Statement).toHaveLength(1);
    expect(revokedSessionsPolicy({ customers: ["c1"], tokens: [] })!.Statement).toHaveLength(1);
    expect(BROKER_TOKEN_TAG).not.toBe(BROKER_SESSION_TAG);
  });

  it("reads back the ids it wrote, a single id as IAM may give it, and nothing from anything else", () => {
    const written = { customers: ["c1", "c2"], tokens: ["t1"] };
    expect(revokedSessionsOf(JSON.parse(JSON.stringify(revokedSessionsPolicy(written))))).toEqual(written);
    const single = { Statement: { Effect: "Deny", Condition: { StringEquals: { "aws:SourceIdentity": "c1", [`aws:PrincipalTag/${BROKER_TOKEN_TAG}`]: "t1" } } } };
    expect(revokedSessionsOf(single)).toEqual({ customers: ["c1"], tokens: ["t1"] });
    for (const other of [null, {}, { Statement: [{ Effect: "Deny" }] }, "text"]) expect(revokedSessionsOf(other)).toEqual({ customers: [], tokens: [] });
  });

  it("keeps the role's inline policies within IAM's 10,240 characters: customers first, then tokens in the order given, the rest left out", () => {
    const account = { partition: "aws-us-gov" };
    const budget = ROLE_POLICIES_MAX_CHARS - chars(brokerRolePolicyDocument(account));
    const few = { customers: ids("c", 3), tokens: ids("t", 3) };
    expect(fitRevokedSessions(few, account)).toEqual({ denied: few, leftOut: { customers: [], tokens: [] } });

    const many = { customers: ids("c", 100), tokens: ids("t", 1_000) };
    const { denied, leftOut } = fitRevokedSessions(many, account);
    expect(denied.customers).toEqual(many.customers);
    expect(denied.tokens).toEqual(many.tokens.slice(0, denied.tokens.length));
    expect(leftOut).toEqual({ customers: [], tokens: many.tokens.slice(denied.tokens.length) });
    const size = chars(revokedSessionsPolicy(denied));
    expect(size).toBeLessThanOrEqual(budget);
    // As many as fit: one more would not.
    expect(chars(revokedSessionsPolicy({ ...denied, tokens: many.tokens.slice(0, denied.tokens.length + 1) }))).toBeGreaterThan(budget);

    // Customers alone past the bound: the first that fit, and no token.
    const crowd = fitRevokedSessions({ customers: ids("c", 1_000), tokens: ids("t", 1) }, account);
    expect(crowd.denied.tokens).toEqual([]);
    expect(crowd.leftOut.tokens).toHaveLength(1);
    expect(crowd.denied.customers.length + crowd.leftOut.customers.length).toBe(1_000);
    expect(chars(revokedSessionsPolicy(crowd.denied))).toBeLessThanOrEqual(budget);
  });
});
