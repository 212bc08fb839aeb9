import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { attachUserPolicy, ensureLoginPolicy, ensureUser, userArn } from "@/lib/aws/iam";
import { portalAccountId } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { AwsIdentity } from "@/lib/generated/prisma/client";
import { ensureAccessKey } from "./ensure-access-key";

let loginPolicy: Promise<string> | undefined;

function loginPolicyArn(accountId: string) {
  const { PULLGATE_IAM_PATH, PULLGATE_LOGIN_POLICY_NAME } = env();
  loginPolicy ??= ensureLoginPolicy({ accountId, path: PULLGATE_IAM_PATH, name: PULLGATE_LOGIN_POLICY_NAME }).catch(
    (error) => {
      loginPolicy = undefined;
      throw error;
    },
  );
  return loginPolicy;
}

/**
 * The customer's IAM user, its login policy and one access key, created where missing.
 * The database row comes first so that a crash leaves a name to resume with, never a stray user.
 */
export async function ensureIdentity(customerId: string, current: AwsIdentity | null, actor: Actor) {
  const accountId = await portalAccountId();
  const path = env().PULLGATE_IAM_PATH;
  let identity = current;
  if (!identity) {
    // A fresh name per identity: IAM refuses to recreate a just-deleted name for a while, and a
    // new ARN cannot inherit grants that AWS rewrote to the old user's unique id.
    const generation = (await db.awsIdentity.count({ where: { customerId } })) + 1;
    const userName = `pullgate-${customerId}-${generation}`;
    identity = await db.awsIdentity.create({
      data: { customerId, liveFor: customerId, accountId, userName, arn: userArn(accountId, path, userName) },
    });
  }

  const policyArn = await loginPolicyArn(accountId);
  const user = await ensureUser({
    userName: identity.userName,
    path,
    tags: { "pullgate:customer-id": customerId, "pullgate:managed": "true" },
  });
  // A user the database had not seen yet was created by us, possibly in an attempt that crashed.
  if (user.created || !identity.userId) {
    await recordAuditEvent(db, { actor, action: "aws.user.created", customerId, data: { userName: user.userName, arn: user.arn } });
  }
  identity = await db.awsIdentity.update({
    where: { id: identity.id },
    data: { arn: user.arn, userId: user.userId, status: "ACTIVE" },
  });
  await attachUserPolicy(identity.userName, policyArn);
  await ensureAccessKey(identity, actor);
  return identity;
}
