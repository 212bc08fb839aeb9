import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { deleteUserCompletely } from "@/lib/aws/iam";
import { db } from "@/lib/db";
import type { AwsIdentity } from "@/lib/generated/prisma/client";

/** Deletes the IAM user with its keys and policies. Only called once no repository policy names it. */
export async function deleteIdentity(identity: AwsIdentity, actor: Actor) {
  await db.awsIdentity.update({ where: { id: identity.id }, data: { status: "DELETING" } });
  const existed = await deleteUserCompletely(identity.userName);
  const now = new Date();
  await db.$transaction([
    db.accessKey.updateMany({
      where: { identityId: identity.id, status: { not: "DELETED" } },
      data: { status: "DELETED", deletedAt: now, secretCiphertext: null },
    }),
    db.awsIdentity.update({
      where: { id: identity.id },
      data: { status: "DELETED", liveFor: null, deletedAt: now },
    }),
  ]);
  await recordAuditEvent(db, {
    actor,
    action: "aws.user.deleted",
    customerId: identity.customerId,
    data: { userName: identity.userName, arn: identity.arn, existed },
  });
}
