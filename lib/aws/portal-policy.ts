// The portal's own IAM policy: it can manage users under its path and nothing else in IAM,
// create them only under the customer boundary, attach only the login policy, and edit
// repository policies without any pull or push right.
import { CUSTOMER_USER_PREFIX } from "./customer-user-name";
import { carriesManagedTag, MANAGED_TAG } from "./managed-mark";
import { brokerRoleArn, DEFAULT_BROKER_ROLE_NAME } from "./broker-role";
import { registryRoleArn } from "./registry-role";
import { repositoryStatements, type Statement } from "./repository-statements";
import { WORKLOAD_ROLE_PREFIX } from "./workload-role";

export type PortalPolicyOptions = {
  accountId: string;
  /** The account's partition (sts.ts asks it of AWS): `aws` unless given, as for most accounts. */
  partition?: string;
  iamPath: string;
  loginPolicyName: string;
  boundaryPolicyName: string;
  /** The bucket CloudTrail delivers to, when pull history is wanted: read-only. */
  cloudTrailBucket?: string;
  /** The KMS key the trail encrypts its log files with (SSE-KMS), when it does. */
  cloudTrailKmsKeyArn?: string;
  /** The role each other account holding repositories gives the portal (registry-role.ts), when there are such accounts. */
  registryRoleName?: string;
  /** The role through which pull tokens get registry credentials (broker-role.ts); the default name unless given. */
  brokerRoleName?: string;
};


export function portalPolicyDocument(options: PortalPolicyOptions) {
  const { accountId, partition = "aws", iamPath, loginPolicyName, boundaryPolicyName, cloudTrailBucket, cloudTrailKmsKeyArn, registryRoleName, brokerRoleName = DEFAULT_BROKER_ROLE_NAME } = options;
  const users = `arn:${partition}:iam::${accountId}:user${iamPath}*`;
  // The ARN IAM authorizes against for a user of that name that does not exist (yet, or any more).
  const missingUsers = `arn:${partition}:iam::${accountId}:user/${CUSTOMER_USER_PREFIX}*`;
  const loginPolicy = `arn:${partition}:iam::${accountId}:policy${iamPath}${loginPolicyName}`;
  const boundaryPolicy = `arn:${partition}:iam::${accountId}:policy${iamPath}${boundaryPolicyName}`;
  const statements: Statement[] = [
    {
      Sid: "ManageCustomerUsers",
      Effect: "Allow",
      Action: [
        "iam:GetUser",
        // CreateUser with tags needs it too.
        "iam:TagUser",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
        "iam:DeleteAccessKey",
        "iam:ListAttachedUserPolicies",
        "iam:DetachUserPolicy",
        "iam:ListUserPolicies",
        "iam:GetUserPolicy",
        "iam:DeleteUserPolicy",
        // What someone may have added to a user by hand, which DeleteUser waits for.
        "iam:DeleteLoginProfile",
        "iam:ListGroupsForUser",
        "iam:ListSSHPublicKeys",
        "iam:DeleteSSHPublicKey",
        "iam:ListSigningCertificates",
        "iam:DeleteSigningCertificate",
        "iam:ListServiceSpecificCredentials",
        "iam:DeleteServiceSpecificCredential",
        "iam:ListMFADevices",
        "iam:DeactivateMFADevice",
      ],
      Resource: users,
    },
    {
      // What gives a user access, or takes it away for good: only on users Pullgate created,
      // which carry its mark from their CreateUser on (CreateAccessKey has no other key to scope
      // it by). The identity-policy strategy's inline pull policy is capped by the boundary.
      Sid: "ChangeOnlyUsersPullgateCreated",
      Effect: "Allow",
      Action: ["iam:CreateAccessKey", "iam:PutUserPolicy", "iam:DeleteUser"],
      Resource: users,
      Condition: { StringEquals: carriesManagedTag() },
    },
    {
      // Reads that must answer NoSuchEntity, not AccessDenied, for a user not created yet or
      // already deleted (a resumed grant or revocation, the access check): IAM has no path to
      // authorize those against, so they are scoped by Pullgate's name prefix instead.
      Sid: "ReadCustomerUsersThatMayBeGone",
      Effect: "Allow",
      Action: ["iam:GetUser", "iam:ListAccessKeys", "iam:ListAttachedUserPolicies", "iam:ListUserPolicies", "iam:GetUserPolicy"],
      Resource: missingUsers,
    },
    {
      // Neither has a resource type: IAM authorizes them against "*" only. ListUsers reveals names
      // and paths (Pullgate lists its own path alone); GetAccountSummary the account's counts and
      // quotas (the Engine page shows users against IAM's 5,000).
      Sid: "ListUsersAndQuotas",
      Effect: "Allow",
      Action: ["iam:ListUsers", "iam:GetAccountSummary", "iam:ListOpenIDConnectProviders"],
      Resource: "*",
    },
    {
      // IAM authorizes this against the group alone, and a group added by hand may have any name
      // and path (groups take no tags to condition on), so only every group lets a revocation free
      // its user. The price: these credentials could take any user out of any group.
      Sid: "RemoveCustomerUsersFromGroups",
      Effect: "Allow",
      Action: ["iam:RemoveUserFromGroup"],
      Resource: `arn:${partition}:iam::${accountId}:group/*`,
    },
    {
      // A virtual MFA device is a resource of its own, named by whoever made it. IAM deletes only
      // one no user holds, and only Pullgate's users' devices can be deactivated (above).
      Sid: "DeleteCustomerUsersVirtualMfaDevices",
      Effect: "Allow",
      Action: ["iam:DeleteVirtualMFADevice"],
      Resource: `arn:${partition}:iam::${accountId}:mfa/*`,
    },
    {
      // A user created without the boundary, or with another one, is refused: leaked portal
      // credentials cannot mint a more powerful user.
      Sid: "CreateUsersOnlyWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateUser"],
      Resource: users,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryPolicy, [`aws:RequestTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value } },
    },
    {
      Sid: "AttachOnlyTheLoginPolicy",
      Effect: "Allow",
      Action: ["iam:AttachUserPolicy"],
      Resource: users,
      Condition: { ArnEquals: { "iam:PolicyARN": loginPolicy }, StringEquals: carriesManagedTag() },
    },
    {
      Sid: "CreateTheCustomerPolicies",
      Effect: "Allow",
      Action: ["iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion"],
      Resource: [loginPolicy, boundaryPolicy],
    },
    ...workloadStatements({ accountId, partition, iamPath, boundaryPolicy }),
    ...repositoryStatements({ accountId, partition }),
  ];
  if (registryRoleName) {
    statements.push({
      // Repositories in the vendor's other accounts are reached through a role of the same name in
      // each, holding the repository statements above for its account; each role's trust policy
      // names this portal, so that account decides, and no other account's role is reachable.
      Sid: "ReachRepositoriesInOtherAccounts",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: registryRoleArn({ accountId: "*", partition }, iamPath, registryRoleName),
    });
  }
  statements.push({
    // A session for one customer, named by its id (source identity, tag) so its pulls are
    // attributed; what the session may pull is the session policy's to narrow. And the deny that
    // ends revoked customers' sessions: the role's boundary caps anything else a policy written
    // there could grant at what a customer user may do.
    Sid: "BrokerRegistryCredentials",
    Effect: "Allow",
    Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession", "iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    Resource: brokerRoleArn({ accountId, partition }, iamPath, brokerRoleName),
  });
  if (cloudTrailBucket) {
    statements.push({
      Sid: "ReadCloudTrailLogs",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetObject"],
      Resource: [`arn:${partition}:s3:::${cloudTrailBucket}`, `arn:${partition}:s3:::${cloudTrailBucket}/*`],
    });
    if (cloudTrailKmsKeyArn) {
      // S3 decrypts an SSE-KMS log file with the reader's own right to the key; only through S3.
      statements.push({
        Sid: "DecryptCloudTrailLogs",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: cloudTrailKmsKeyArn,
        Condition: { StringLike: { "kms:ViaService": "s3.*" } },
      });
    }
  }
  return { Version: "2012-10-17", Statement: statements };
}


/**
 * Workload identity federation: each customer's role, made only under the boundary and with the
 * mark, and changed only while it carries the mark; OIDC providers likewise (one the vendor made
 * is read and trusted, never changed or deleted). Statements are merged where their conditions
 * agree: the managed policy holding all this is limited to 6,144 characters.
 */
function workloadStatements({ accountId, partition, iamPath, boundaryPolicy }: { accountId: string; partition: string; iamPath: string; boundaryPolicy: string }): Statement[] {
  const roles = `arn:${partition}:iam::${accountId}:role${iamPath}${WORKLOAD_ROLE_PREFIX}*`;
  // A role that does not exist (yet, or any more) is authorized without its path.
  const missingRoles = `arn:${partition}:iam::${accountId}:role/${WORKLOAD_ROLE_PREFIX}*`;
  const providers = `arn:${partition}:iam::${accountId}:oidc-provider/*`;
  const requestsMark = { [`aws:RequestTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value };
  return [
    {
      Sid: "CreateWorkloadRolesOnlyWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryPolicy, ...requestsMark } },
    },
    {
      // Creating with tags is authorized as tagging too.
      Sid: "CreateWorkloadIamMarked",
      Effect: "Allow",
      Action: ["iam:TagRole", "iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
      Resource: [roles, providers],
      Condition: { StringEquals: requestsMark },
    },
    {
      Sid: "ChangeOnlyWorkloadIamPullgateCreated",
      Effect: "Allow",
      Action: ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:AddClientIDToOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider"],
      Resource: [roles, providers],
      Condition: { StringEquals: carriesManagedTag() },
    },
    {
      // The access check reads attached policies too: someone may have attached one by hand.
      Sid: "ReadWorkloadIam",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetOpenIDConnectProvider"],
      Resource: [roles, missingRoles, providers],
    },
  ];
}
