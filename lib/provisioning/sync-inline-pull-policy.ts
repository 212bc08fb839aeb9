import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { deleteUserInlinePolicy, getUserInlinePolicy, putUserInlinePolicy } from "@/lib/aws/iam";
import {
  INLINE_POLICY_MAX_CHARS,
  INLINE_PULL_POLICY_NAME,
  inlinePullPolicyDocument,
  inlinePullResources,
} from "@/lib/aws/identity-pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

type Identity = { customerId: string; userName: string };

/**
 * Makes the user's inline pull policy name exactly `repositories` (the ones using the
 * identity-policy strategy), or removes it when there are none. Reads first, so a rerun that
 * finds the policy right makes no write.
 */
export async function syncInlinePullPolicy(identity: Identity, repositories: RepositoryRef[], actor: Actor) {
  const { partition } = await portalAccount();
  const wanted = repositories.map((r) => repositoryArn(r, partition)).sort();
  const current = await getUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME);
  const have = current === null ? null : inlinePullResources(current);
  if (have !== null && have.join() === wanted.join()) return;
  if (wanted.length === 0) {
    if (have === null) return;
    await deleteUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME);
  } else {
    const document = inlinePullPolicyDocument(wanted);
    const size = JSON.stringify(document).length;
    if (size > INLINE_POLICY_MAX_CHARS) {
      throw new AppError(
        "INVALID_INPUT",
        `The inline pull policy for ${wanted.length} repositories needs ${size} characters; IAM allows ${INLINE_POLICY_MAX_CHARS} per user`,
      );
    }
    await putUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME, document);
  }
  await recordAuditEvent(db, {
    actor,
    action: "aws.inline_policy.updated",
    customerId: identity.customerId,
    data: { userName: identity.userName, repositories: wanted },
  });
}
