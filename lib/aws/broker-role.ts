// Brokered registry credentials need no AWS identity per customer: the portal assumes one broker
// role for a customer, with a session policy naming that customer's products, and mints a registry
// token with the session. The session carries the customer id as source identity and session tag,
// so CloudTrail attributes every pull; a deny keyed on the source identity ends a revoked
// customer's sessions before they expire. The role is capped by the customer boundary, so its
// sessions can never do more than a customer user could.
import { inlinePullPolicyDocument, type InlinePullGrant } from "./identity-pull-policy";
import { boundaryPolicyDocument, loginPolicyDocument } from "./login-policy";
import type { AwsAccount } from "./partition";

export const DEFAULT_BROKER_ROLE_NAME = "pullgate-registry-broker";
/** The session tag naming the customer a brokered session serves (CloudTrail shows it with each pull). */
export const BROKER_SESSION_TAG = "pullgate-customer";
/** The broker role's inline policy that ends revoked customers' sessions. */
export const REVOKED_SESSIONS_POLICY_NAME = "PullgateRevokedSessions";
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

/** Denies every ECR call of sessions made for these customers; null when none is denied. */
export function revokedSessionsPolicy(customerIds: string[]) {
  if (customerIds.length === 0) return null;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EndRevokedCustomersSessions",
        Effect: "Deny",
        Action: "ecr:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceIdentity": [...customerIds].sort() } },
      },
    ],
  };
}

/** The customers a revoked-sessions policy read back from IAM denies, sorted. */
export function revokedCustomerIds(document: unknown): string[] {
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  const ids = [statements]
    .flat(2)
    .flatMap((s) => [(s as { Condition?: { StringEquals?: Record<string, unknown> } } | undefined)?.Condition?.StringEquals?.["aws:SourceIdentity"]].flat());
  return ids.filter((id): id is string => typeof id === "string").sort();
}
