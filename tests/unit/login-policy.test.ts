import { describe, expect, it } from "vitest";
import { allowsOnly, BOUNDARY_POLICY_ACTIONS, boundaryPolicyDocument, LOGIN_POLICY_ACTIONS, loginPolicyDocument } from "@/lib/aws/login-policy";

const VENDOR = { accountId: "111122223333", partition: "aws" };

describe("customer policies", () => {
  it("are what their own checks accept", () => {
    expect(allowsOnly(loginPolicyDocument(), LOGIN_POLICY_ACTIONS)).toBe(true);
    expect(allowsOnly(boundaryPolicyDocument(VENDOR), BOUNDARY_POLICY_ACTIONS)).toBe(true);
    expect(allowsOnly(boundaryPolicyDocument(VENDOR), LOGIN_POLICY_ACTIONS)).toBe(false);
  });

  it("refuse widened or inverted documents", () => {
    const statement = (s: object) => ({ Version: "2012-10-17", Statement: [s] });
    expect(allowsOnly(statement({ Effect: "Allow", Action: "*", Resource: "*" }), LOGIN_POLICY_ACTIONS)).toBe(false);
    expect(allowsOnly(statement({ Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "iam:*"], Resource: "*" }), LOGIN_POLICY_ACTIONS)).toBe(false);
    expect(allowsOnly(statement({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }), LOGIN_POLICY_ACTIONS)).toBe(false);
    expect(allowsOnly(statement({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", NotResource: "x" }), LOGIN_POLICY_ACTIONS)).toBe(false);
    expect(allowsOnly({ Version: "2012-10-17", Statement: [] }, LOGIN_POLICY_ACTIONS)).toBe(false);
    expect(allowsOnly(statement({ Effect: "Allow", Action: "ECR:getAuthorizationToken", Resource: "*" }), LOGIN_POLICY_ACTIONS)).toBe(true);
  });

  it("scope the boundary's pulls to marked repositories, in any of the vendor's accounts", () => {
    const pulls = boundaryPolicyDocument(VENDOR).Statement[1]!;
    expect(pulls.Resource).toBe("arn:aws:ecr:*:*:repository/*");
    expect(pulls.Condition).toEqual({ StringEquals: { "aws:ResourceTag/pullgate:managed": "true" } });
  });
});
