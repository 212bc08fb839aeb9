// Brokered registry credentials need no AWS identity per customer: the portal assumes one broker
// role for a pull token, with a session policy naming its customer's products, and mints a registry
// token with the session. The session carries the customer id as source identity and session tag,
// so CloudTrail attributes every pull, and the token id as another tag; a deny keyed on the source
// identity ends a revoked customer's sessions before they expire, one keyed on the token tag a
// revoked token's. The role is capped by the customer boundary, so its sessions can never do more
// than a customer user could.
import { inlinePolicyChars, inlinePullPolicyDocument, type InlinePullGrant } from "./identity-pull-policy";
import { boundaryPolicyDocument, loginPolicyDocument } from "./login-policy";
import type { AwsAccount } from "./partition";

export const DEFAULT_BROKER_ROLE_NAME = "pullgate-registry-broker";
/** The session tag naming the customer a brokered session serves (CloudTrail shows it with each pull). */
export const BROKER_SESSION_TAG = "pullgate-customer";
/** The session tag naming the pull token a brokered session was made for. */
export const BROKER_TOKEN_TAG = "pullgate-token";
/** The broker role's inline policy that ends revoked customers' and pull tokens' sessions. */
export const REVOKED_SESSIONS_POLICY_NAME = "PullgateRevokedSessions";
/** IAM's limit on all of a role's inline policies together, in characters without whitespace. */
export const ROLE_POLICIES_MAX_CHARS = 10_240;
/**
 * How long a brokered session lasts. The portal itself runs as a role, so assuming the broker is
 * role chaining, which AWS caps at one hour; a registry token cannot outlive the session that
 * minted it, so this is also the longest a registry password handed out stays valid.
 */
export const BROKER_SESSION_SECONDS = 3600;
/** IAM's limit on an inline session policy, in characters as sent. */
export const SESSION_POLICY_MAX_CHARS = 2_048;

/** The role's ARN in the portal's account. */
export function brokerRoleArn({ accountId, partition }: AwsAccount, iamPath: string, roleName: string) {
  return `arn:${partition}:iam::${accountId}:role${iamPath}${roleName}`;
}

/**
 * Only the portal may assume it, and only to name the customer it acts for (source identity,
 * session tag). The portal's ARN, or a template's reference to it.
 */
export function brokerRoleTrustPolicy(portalPrincipalArn: string | object) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ThePullgatePortal",
        Effect: "Allow",
        Principal: { AWS: portalPrincipalArn },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      },
    ],
  };
}

/** The role's own permissions: registry login and pulls from marked repositories, as its boundary. */
export const brokerRolePolicyDocument = (account: Pick<AwsAccount, "partition">) => boundaryPolicyDocument(account);

/**
 * What a keyless principal of one customer may do: log in, and pull its products' repositories
 * only. A broker session's policy, and a workload role's own.
 */
export function keylessPullPolicy(grant: InlinePullGrant, account: Pick<AwsAccount, "partition">) {
  return { Version: "2012-10-17", Statement: [...loginPolicyDocument().Statement, ...inlinePullPolicyDocument(grant, account).Statement] };
}

/** Whose brokered sessions are denied: customers (every session made for them) and single pull tokens. */
export type RevokedSessions = { customers: string[]; tokens: string[] };

const REVOKED_CONDITION_KEYS = { customers: "aws:SourceIdentity", tokens: `aws:PrincipalTag/${BROKER_TOKEN_TAG}` } as const;
const REVOKED_SIDS = { customers: "EndRevokedCustomersSessions", tokens: "EndRevokedTokensSessions" } as const;
const KINDS = ["customers", "tokens"] as const;

/** Denies every ECR call of sessions made for these customers or tokens; null when none is denied. */
export function revokedSessionsPolicy(revoked: RevokedSessions) {
  const statements = KINDS.filter((kind) => revoked[kind].length > 0).map((kind) => ({
    Sid: REVOKED_SIDS[kind],
    Effect: "Deny",
    Action: "ecr:*",
    Resource: "*",
    Condition: { StringEquals: { [REVOKED_CONDITION_KEYS[kind]]: [...revoked[kind]].sort() } },
  }));
  return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : null;
}

/** The customers and tokens a revoked-sessions policy read back from IAM denies, each sorted. */
export function revokedSessionsOf(document: unknown): RevokedSessions {
  const statements = [(document as { Statement?: unknown } | null)?.Statement].flat(2);
  const conditions = statements.map((s) => (s as { Condition?: { StringEquals?: Record<string, unknown> } } | undefined)?.Condition?.StringEquals);
  const idsOf = (key: string) =>
    conditions
      .flatMap((condition) => [condition?.[key]].flat())
      .filter((id): id is string => typeof id === "string")
      .sort();
  return { customers: idsOf(REVOKED_CONDITION_KEYS.customers), tokens: idsOf(REVOKED_CONDITION_KEYS.tokens) };
}

const policyChars = (document: object | null) => (document ? inlinePolicyChars(document) : 0);

/**
 * What of `wanted` the revoked-sessions policy can deny beside the role's own policy within IAM's
 * limit: customers first (each ends every session of its customer), then tokens, each list in the
 * order given, as far as it fits; the rest is left out.
 */
export function fitRevokedSessions(wanted: RevokedSessions, account: Pick<AwsAccount, "partition">): { denied: RevokedSessions; leftOut: RevokedSessions } {
  const budget = ROLE_POLICIES_MAX_CHARS - policyChars(brokerRolePolicyDocument(account));
  const denied: RevokedSessions = { customers: [], tokens: [] };
  for (const kind of KINDS) {
    for (const id of wanted[kind]) {
      const next = { ...denied, [kind]: [...denied[kind], id] };
      if (policyChars(revokedSessionsPolicy(next)) > budget) break;
      denied[kind] = next[kind];
    }
  }
  const leftOut = { customers: wanted.customers.slice(denied.customers.length), tokens: wanted.tokens.slice(denied.tokens.length) };
  return { denied, leftOut };
}
