import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { customerUserName } from "@/lib/aws/customer-user-name";
import { attachUserPolicy, ensureManagedPolicy, ensureUser, isUserQuotaReached, userArn } from "@/lib/aws/iam";
import { BOUNDARY_POLICY_ACTIONS, boundaryPolicyDocument, LOGIN_POLICY_ACTIONS, loginPolicyDocument } from "@/lib/aws/login-policy";
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import type { AwsAccount } from "@/lib/aws/partition";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { AwsIdentity } from "@/lib/generated/prisma/client";
import { ensureAccessKey } from "./ensure-access-key";

// Created (or verified) once per process; a failure is retried on the next call.
let policies: Promise<{ login: string; boundary: string }> | undefined;

/** The login policy and the customer boundary, which customer users and workload roles carry. */
export function customerPolicies(account: AwsAccount) {
  const { PULLGATE_IAM_PATH: path, PULLGATE_LOGIN_POLICY_NAME, PULLGATE_BOUNDARY_POLICY_NAME } = env();
  policies ??= Promise.all([
    ensureManagedPolicy({
      account,
      path,
      name: PULLGATE_LOGIN_POLICY_NAME,
      description: "Lets a Pullgate customer obtain an ECR registry token (ecr:GetAuthorizationToken)",
      document: loginPolicyDocument(),
      allowedActions: LOGIN_POLICY_ACTIONS,
    }),
    ensureManagedPolicy({
      account,
      path,
      name: PULLGATE_BOUNDARY_POLICY_NAME,
      description: "Permissions boundary of Pullgate customer users: registry login and pulls only",
      document: boundaryPolicyDocument(account),
      allowedActions: BOUNDARY_POLICY_ACTIONS,
    }),
  ]).then(
    ([login, boundary]) => ({ login, boundary }),
    (error: unknown) => {
      policies = undefined;
      throw error;
    },
  );
  return policies;
}

/**
 * The customer's IAM user, its login policy and one access key, created where missing.
 * The database row comes first so that a crash leaves a name to resume with, never a stray user.
 */
export async function ensureIdentity(customerId: string, current: AwsIdentity | null, actor: Actor) {
  const account = await portalAccount();
  const path = env().PULLGATE_IAM_PATH;
  let identity = current;
  if (!identity) {
    // A fresh name per identity: IAM refuses to recreate a just-deleted name for a while, and a
    // new ARN cannot inherit grants that AWS rewrote to the old user's unique id.
    const generation = (await db.awsIdentity.count({ where: { customerId } })) + 1;
    const userName = customerUserName(customerId, generation);
    identity = await db.awsIdentity.create({
      data: { customerId, liveFor: customerId, accountId: account.accountId, userName, arn: userArn(account, path, userName) },
    });
  }

  const { login, boundary } = await customerPolicies(account);
  const user = await ensureUser({
    userName: identity.userName,
    path,
    permissionsBoundary: boundary,
    tags: { "pullgate:customer-id": customerId, [MANAGED_TAG.key]: MANAGED_TAG.value },
  }).catch((error: unknown) => {
    if (!isUserQuotaReached(error)) throw error;
    throw new Error(
      `IAM's quota of users in account ${account.accountId} is reached (${(error as Error).message}): this customer gets no access key until users are freed, ` +
        "or it pulls with its own AWS account instead",
    );
  });
  // A user the database had not seen yet was created by us, possibly in an attempt that crashed.
  if (user.created || !identity.userId) {
    await recordAuditEvent(db, { actor, action: "aws.user.created", customerId, data: { userName: user.userName, arn: user.arn } });
  }
  identity = await db.awsIdentity.update({
    where: { id: identity.id },
    data: { arn: user.arn, userId: user.userId, status: "ACTIVE" },
  });
  await attachUserPolicy(identity.userName, login);
  await ensureAccessKey(identity, actor);
  return identity;
}
