// The public shapes of the policy evaluator. A policy's kind is given by where it is passed
// (identity, boundary or resource), so a source cannot claim a kind that contradicts its slot.

/** Parsed JSON as read from AWS, or its JSON text (URL-encoded, as IAM returns it, is accepted too). */
export type PolicyDocument = unknown;

export type PolicyKind = "identity" | "boundary" | "resource";

export type AccessRequest = {
  /** e.g. arn:aws:iam::123456789012:user/pullgate/pullgate-abc-1 */
  principalArn: string;
  principalAccountId: string;
  /** e.g. ecr:BatchGetImage */
  action: string;
  /** e.g. arn:aws:ecr:us-east-1:123456789012:repository/acme/api */
  resourceArn: string;
  resourceAccountId: string;
  /**
   * The resource's tags, key to value. Without them a Condition on the resource's tags cannot be
   * judged (the statement counts as uncertain); with them, `{}` means the resource has no tags.
   */
  resourceTags?: Record<string, string>;
};

export type PolicySource = { name: string; document: PolicyDocument };

export type PolicySet = {
  /** The principal's inline and attached policies. */
  identity: PolicySource[];
  /** The principal's permissions boundary, when it has one. */
  boundary?: PolicySource;
  /** The repository policy, when the repository has one. */
  resource?: PolicySource;
};

export type StatementRef = { kind: PolicyKind; source: string; sid?: string };

export type Decision = {
  allowed: boolean;
  reason: string;
  /** Every Allow statement that matches the request and counts (no Condition, or one that holds), whether or not it sufficed. */
  allowedBy: StatementRef[];
  /** Every Deny statement that matches the request, including those whose Condition could not be judged. */
  deniedBy: StatementRef[];
};
