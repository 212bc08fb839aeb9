import { describe, expect, it } from "vitest";
import { matchesActionPattern, matchesArnPattern, matchesWildcard } from "@/lib/policy-evaluation/wildcard";

describe("matchesWildcard", () => {
  it("matches literally without wildcards, over the whole value", () => {
    expect(matchesWildcard("abc", "abc")).toBe(true);
    expect(matchesWildcard("abc", "abcd")).toBe(false);
    expect(matchesWildcard("abc", "ab")).toBe(false);
    expect(matchesWildcard("abc", "ABC")).toBe(false);
  });

  it("lets * match any run of characters, including none", () => {
    expect(matchesWildcard("*", "")).toBe(true);
    expect(matchesWildcard("*", "anything at all")).toBe(true);
    expect(matchesWildcard("a*", "a")).toBe(true);
    expect(matchesWildcard("a*c", "abbbc")).toBe(true);
    expect(matchesWildcard("a*c", "abbbd")).toBe(false);
  });

  it("lets ? match exactly one character", () => {
    expect(matchesWildcard("a?c", "abc")).toBe(true);
    expect(matchesWildcard("a?c", "ac")).toBe(false);
    expect(matchesWildcard("a?c", "abbc")).toBe(false);
  });

  it("backtracks when the first place a * could stop is wrong", () => {
    expect(matchesWildcard("a*b*c", "axxbyybzzc")).toBe(true);
    expect(matchesWildcard("*ab", "aab")).toBe(true);
    expect(matchesWildcard("a*b", "abxb")).toBe(true);
    expect(matchesWildcard("a*b", "abx")).toBe(false);
    expect(matchesWildcard("*x*", "abc")).toBe(false);
  });

  it("treats a * in the value as an ordinary character", () => {
    expect(matchesWildcard("*b", "*ab")).toBe(true);
    expect(matchesWildcard("a", "*")).toBe(false);
  });
});

describe("matchesActionPattern", () => {
  it("compares service prefix and action name case-insensitively", () => {
    expect(matchesActionPattern("ecr:BatchGetImage", "ecr:batchgetimage")).toBe(true);
    expect(matchesActionPattern("ECR:batch*", "ecr:BatchGetImage")).toBe(true);
    expect(matchesActionPattern("ecr:*", "ecr:GetDownloadUrlForLayer")).toBe(true);
    expect(matchesActionPattern("*", "ecr:BatchGetImage")).toBe(true);
  });

  it("does not match another action or service", () => {
    expect(matchesActionPattern("ecr:Get*", "ecr:BatchGetImage")).toBe(false);
    expect(matchesActionPattern("ecr-public:*", "ecr:BatchGetImage")).toBe(false);
    expect(matchesActionPattern("s3:*", "ecr:BatchGetImage")).toBe(false);
  });
});

describe("matchesArnPattern", () => {
  const REPO = "arn:aws:ecr:us-east-1:111122223333:repository/acme/api";

  it("matches ARNs with wildcards in any segment", () => {
    expect(matchesArnPattern("*", REPO)).toBe(true);
    expect(matchesArnPattern(REPO, REPO)).toBe(true);
    expect(matchesArnPattern("arn:aws:ecr:*:111122223333:repository/*", REPO)).toBe(true);
    expect(matchesArnPattern("arn:aws:ecr:us-east-?:*:repository/acme/*", REPO)).toBe(true);
  });

  it("does not match another account, region or repository", () => {
    expect(matchesArnPattern("arn:aws:ecr:*:444455556666:repository/*", REPO)).toBe(false);
    expect(matchesArnPattern("arn:aws:ecr:eu-west-1:111122223333:repository/*", REPO)).toBe(false);
    expect(matchesArnPattern("arn:aws:ecr:*:111122223333:repository/acme/web", REPO)).toBe(false);
  });

  it("is case-sensitive", () => {
    expect(matchesArnPattern("arn:aws:ecr:*:111122223333:repository/Acme/*", REPO)).toBe(false);
  });

  it("does not let a * in one segment swallow the colons of the next", () => {
    const odd = "arn:aws:ecr:us-east-1:111122223333:extra:repository/acme/api";
    expect(matchesArnPattern("arn:aws:ecr:us-east-1:*:repository/acme/api", odd)).toBe(false);
    expect(matchesArnPattern("arn:aws:ecr:us-east-1:*:*:repository/acme/api", odd)).toBe(true);
  });
});
