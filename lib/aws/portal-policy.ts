// The portal's own IAM policy: it can manage users under its path and nothing else in IAM,
// create them only under the customer boundary, attach only the login policy, and edit
// repository policies without any pull or push right.

export type PortalPolicyOptions = {
  accountId: string;
  iamPath: string;
  loginPolicyName: string;
  boundaryPolicyName: string;
  /** The bucket CloudTrail delivers to, when pull history is wanted: read-only. */
  cloudTrailBucket?: string;
};

type Statement = { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[]; Condition?: object };

export function portalPolicyDocument({ accountId, iamPath, loginPolicyName, boundaryPolicyName, cloudTrailBucket }: PortalPolicyOptions) {
  const users = `arn:aws:iam::${accountId}:user${iamPath}*`;
  const loginPolicy = `arn:aws:iam::${accountId}:policy${iamPath}${loginPolicyName}`;
  const boundaryPolicy = `arn:aws:iam::${accountId}:policy${iamPath}${boundaryPolicyName}`;
  const statements: Statement[] = [
    {
      Sid: "ManageCustomerUsers",
      Effect: "Allow",
      Action: [
        "iam:ListUsers",
        "iam:GetUser",
        "iam:TagUser",
        "iam:DeleteUser",
        "iam:CreateAccessKey",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
        "iam:DeleteAccessKey",
        "iam:ListAttachedUserPolicies",
        "iam:DetachUserPolicy",
        "iam:ListUserPolicies",
        // The identity-policy strategy's inline pull policy; the boundary caps whatever it says.
        "iam:GetUserPolicy",
        "iam:PutUserPolicy",
        "iam:DeleteUserPolicy",
        "iam:DeleteLoginProfile",
      ],
      Resource: users,
    },
    {
      // A user created without the boundary, or with another one, is refused: leaked portal
      // credentials cannot mint a more powerful user.
      Sid: "CreateUsersOnlyWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateUser"],
      Resource: users,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryPolicy } },
    },
    {
      Sid: "AttachOnlyTheLoginPolicy",
      Effect: "Allow",
      Action: ["iam:AttachUserPolicy"],
      Resource: users,
      Condition: { ArnEquals: { "iam:PolicyARN": loginPolicy } },
    },
    {
      Sid: "CreateTheCustomerPolicies",
      Effect: "Allow",
      Action: ["iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion"],
      Resource: [loginPolicy, boundaryPolicy],
    },
    {
      Sid: "ManageRepositoryPolicies",
      Effect: "Allow",
      Action: [
        "ecr:GetRepositoryPolicy",
        "ecr:SetRepositoryPolicy",
        "ecr:DeleteRepositoryPolicy",
        "ecr:DescribeImages",
      ],
      Resource: `arn:aws:ecr:*:${accountId}:repository/*`,
    },
    {
      Sid: "DiscoverRepositories",
      Effect: "Allow",
      Action: ["ecr:DescribeRepositories"],
      Resource: "*",
    },
  ];
  if (cloudTrailBucket) {
    statements.push({
      Sid: "ReadCloudTrailLogs",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetObject"],
      Resource: [`arn:aws:s3:::${cloudTrailBucket}`, `arn:aws:s3:::${cloudTrailBucket}/*`],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The same actions for an emulator that checks actions but not resources or conditions
 * (moto evaluates every IAM/ECR call against Resource "*" and denies unknown conditions).
 */
export function portalPolicyForEmulator(options: PortalPolicyOptions) {
  const doc = portalPolicyDocument(options);
  return {
    ...doc,
    Statement: doc.Statement.map(({ Sid, Effect, Action }) => ({ Sid, Effect, Action, Resource: "*" })),
  };
}
