// Repositories may live in several of the vendor's accounts. Customer users live in one, the
// portal's; every other account holding repositories gives the portal a role of one name, which
// it assumes to edit those repositories' policies. The role may do to its account's repositories
// exactly what the portal's own policy lets it do to its own account's, and trusts the portal alone.
import type { AwsAccount } from "./partition";
import { repositoryStatements } from "./repository-statements";

/** The role's ARN; `accountId` may be `*` (the portal's policy names the role in every account). */
export function registryRoleArn({ accountId, partition }: AwsAccount, iamPath: string, roleName: string) {
  return `arn:${partition}:iam::${accountId}:role${iamPath}${roleName}`;
}

/** The role's permissions: the portal's repository statements, for the role's own account. */
export function registryRolePolicyDocument(account: AwsAccount) {
  return { Version: "2012-10-17", Statement: repositoryStatements(account) };
}

/** Who may assume the role: the portal's role or user (its ARN as GetCallerIdentity shows the account). */
export function registryRoleTrustPolicy(portalPrincipalArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "ThePullgatePortal", Effect: "Allow", Principal: { AWS: portalPrincipalArn }, Action: "sts:AssumeRole" }],
  };
}
