// Pure edits of an ECR repository policy document. Pullgate owns its statements, found by their
// Sid; every other statement is kept as it is.

export const PULL_STATEMENT_SID = "PullgateCustomerPull";
/** In a repository of another account than the portal's: the portal account's customer users, trusted once. */
export const VENDOR_USERS_STATEMENT_SID = "PullgateVendorUsers";
export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/** SetRepositoryPolicy rejects longer documents. */
export const REPOSITORY_POLICY_MAX_CHARS = 10_240;
/** The repository tag whose value names the product the repository belongs to (identity-policy grants match it). */
export const PRODUCT_TAG_KEY = "pullgate-product";

type Statement = Record<string, unknown> & { Sid?: string; Principal?: unknown };
type PolicyDocument = { Version?: string; Statement: Statement[] } & Record<string, unknown>;

export class PolicyDocumentError extends Error {
  override name = "PolicyDocumentError";
}

function parse(text: string | null): PolicyDocument | null {
  if (!text) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyDocumentError("The repository policy is not valid JSON");
  }
  if (!doc || typeof doc !== "object") throw new PolicyDocumentError("The repository policy is not a JSON object");
  const statement = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return { ...(doc as object), Statement: statements as Statement[] };
}

function awsPrincipals(principal: unknown): string[] {
  if (!principal || typeof principal !== "object") return [];
  const aws = (principal as { AWS?: unknown }).AWS;
  if (typeof aws === "string") return [aws];
  return Array.isArray(aws) ? aws.filter((p): p is string => typeof p === "string") : [];
}

/** The principals currently in Pullgate's pull statement. */
export function pullPrincipals(policyText: string | null): string[] {
  const statement = parse(policyText)?.Statement.find((s) => s.Sid === PULL_STATEMENT_SID);
  return statement ? awsPrincipals(statement.Principal) : [];
}

/**
 * Returns the policy text with Pullgate's statement naming exactly `principals` (sorted, so
 * the same set always gives the same text), or null when no statement at all remains.
 */
export function withPullPrincipals(policyText: string | null, principals: Iterable<string>): string | null {
  const doc = parse(policyText) ?? { Version: "2012-10-17", Statement: [] };
  const wanted = [...new Set(principals)].sort();
  const others = doc.Statement.filter((s) => s.Sid !== PULL_STATEMENT_SID);
  const statements =
    wanted.length === 0
      ? others
      : [
          ...others,
          {
            Sid: PULL_STATEMENT_SID,
            Effect: "Allow",
            Principal: { AWS: wanted },
            Action: PULL_ACTIONS,
          },
        ];
  if (statements.length === 0) return null;
  return JSON.stringify({ ...doc, Version: doc.Version ?? "2012-10-17", Statement: statements });
}

/** The customer users of the portal's account, as a repository in another account trusts them. */
/** The portal's account, and the patterns of the ARNs of its principals a repository trusts (`aws:PrincipalArn`, a role's for its sessions). */
export type VendorUsers = { accountRootArn: string; principalArnPatterns: string[] };

/**
 * Returns the policy text with Pullgate's trust of `users` in it, or without one when `users` is
 * null (null when no statement at all remains). The statement trusts the portal's account only
 * for Pullgate's principals, by ARN: across accounts the caller's own policies must allow the
 * pull too, so each customer user's inline policy, each broker session's policy and each
 * workload role's policy still decides what it may pull.
 */
export function withVendorUsers(policyText: string | null, users: VendorUsers | null): string | null {
  const doc = parse(policyText) ?? { Version: "2012-10-17", Statement: [] };
  const others = doc.Statement.filter((s) => s.Sid !== VENDOR_USERS_STATEMENT_SID);
  const trust = users && {
    Sid: VENDOR_USERS_STATEMENT_SID,
    Effect: "Allow",
    Principal: { AWS: users.accountRootArn },
    Action: PULL_ACTIONS,
    Condition: { ArnLike: { "aws:PrincipalArn": users.principalArnPatterns } },
  };
  const statements = trust ? [...others, trust] : others;
  if (statements.length === 0) return null;
  return JSON.stringify({ ...doc, Version: doc.Version ?? "2012-10-17", Statement: statements });
}

/** True when two policy texts mean the same document (AWS may reformat what it stores). */
export function samePolicy(a: string | null, b: string | null): boolean {
  const normalize = (text: string | null) => {
    const doc = parse(text);
    if (!doc) return null;
    const statements = doc.Statement.map((s) =>
      s.Sid === PULL_STATEMENT_SID ? { ...s, Principal: { AWS: awsPrincipals(s.Principal).sort() } } : s,
    );
    return canonicalJson({ ...doc, Statement: statements });
  };
  return normalize(a) === normalize(b);
}

/** JSON with every object's keys sorted: equal documents give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([x], [y]) => x.localeCompare(y));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function assertPolicyFits(policyText: string) {
  if (policyText.length > REPOSITORY_POLICY_MAX_CHARS) {
    throw new PolicyDocumentError(
      `The repository policy would be ${policyText.length} characters; ECR allows ${REPOSITORY_POLICY_MAX_CHARS}`,
    );
  }
}
