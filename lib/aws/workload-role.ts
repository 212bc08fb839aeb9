// Workload identity federation: a customer's CI or cluster presents an OIDC token from its own
// issuer and assumes a role Pullgate made for that customer, with no long-lived key anywhere.
// The role trusts each registered identity only for its audience and subject, is capped by the
// customer boundary, carries Pullgate's mark, and may pull exactly the customer's products.
import type { AwsAccount } from "./partition";

/** Every workload role's name starts so: the portal's policy scopes role changes by it (and the mark). */
export const WORKLOAD_ROLE_PREFIX = "pullgate-workload-";
/** IAM's default limit on a role's trust policy, in characters without whitespace. */
export const TRUST_POLICY_MAX_CHARS = 2_048;
/** IAM's quota of OIDC identity providers per account. */
export const OIDC_PROVIDERS_PER_ACCOUNT = 100;
/** Role sessions of a workload last an hour: a CI job or a pull-secret renewal needs no more. */
export const WORKLOAD_SESSION_SECONDS = 3600;

export const workloadRoleName = (customerId: string) => `${WORKLOAD_ROLE_PREFIX}${customerId}`;

export function workloadRoleArn({ accountId, partition }: AwsAccount, iamPath: string, customerId: string) {
  return `arn:${partition}:iam::${accountId}:role${iamPath}${workloadRoleName(customerId)}`;
}

/** The issuer as IAM names its provider and condition keys: host and path, without https://. */
export const issuerKey = (issuerUrl: string) => issuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");

export function oidcProviderArn({ accountId, partition }: AwsAccount, issuerUrl: string) {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerKey(issuerUrl)}`;
}

/** A trusted workload: tokens of this issuer, for this audience, whose subject is this (or matches this pattern). */
export type TrustedWorkload = { issuer: string; audience: string; subject: string };

const isPattern = (subject: string) => /[*?]/.test(subject);

/**
 * Who may assume the customer's role: each trusted workload through its issuer's provider, only
 * with its audience and its subject. Statements are sorted, so the same workloads always give the
 * same document (the reconcile compares it with what IAM holds).
 */
export function workloadTrustPolicy(account: AwsAccount, workloads: TrustedWorkload[]) {
  const statements = [...workloads]
    .sort((a, b) => `${a.issuer} ${a.audience} ${a.subject}`.localeCompare(`${b.issuer} ${b.audience} ${b.subject}`))
    .map(({ issuer, audience, subject }) => {
      const key = issuerKey(issuer);
      return {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn(account, issuer) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: isPattern(subject)
          ? { StringEquals: { [`${key}:aud`]: audience }, StringLike: { [`${key}:sub`]: subject } }
          : { StringEquals: { [`${key}:aud`]: audience, [`${key}:sub`]: subject } },
      };
    });
  return { Version: "2012-10-17", Statement: statements };
}
