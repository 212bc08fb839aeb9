import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { deleteUserInlinePolicy, getUserInlinePolicy, putUserInlinePolicy } from "@/lib/aws/iam";
import {
  INLINE_POLICY_MAX_CHARS,
  INLINE_PULL_POLICY_NAME,
  inlinePolicyChars,
  inlinePullPolicyDocument,
  sameDocument,
  type InlinePullGrant,
} from "@/lib/aws/identity-pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { productTagOn, type TaggableRepository } from "./product-tag";

type Identity = { customerId: string; userName: string };

/**
 * What the user's inline pull policy must grant for `repositories` (the ones it pulls through
 * the identity-policy strategy): the product tag of each repository that carries it, the ARN of
 * each that does not yet.
 */
export function wantedInlineGrant(repositories: (RepositoryRef & TaggableRepository)[], partition: string): InlinePullGrant {
  const productTags = new Set<string>();
  const repositoryArns: string[] = [];
  for (const r of repositories) {
    const tag = productTagOn(r);
    if (tag) productTags.add(tag);
    else repositoryArns.push(repositoryArn(r, partition));
  }
  return { repositoryArns: repositoryArns.sort(), productTags: [...productTags].sort() };
}

/**
 * Makes the user's inline pull policy grant exactly `repositories`, or removes it when there are
 * none. Reads first, so a rerun that finds the policy right makes no write.
 */
export async function syncInlinePullPolicy(identity: Identity, repositories: (RepositoryRef & TaggableRepository)[], actor: Actor) {
  const account = await portalAccount();
  const wanted = wantedInlineGrant(repositories, account.partition);
  const current = await getUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME);
  const document = inlinePullPolicyDocument(wanted, account);
  // The whole document, not only what it grants: one an earlier release wrote is brought up to date.
  if (current !== null && repositories.length > 0 && sameDocument(current, document)) return;
  if (repositories.length === 0) {
    if (current === null) return;
    await deleteUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME);
  } else {
    const size = inlinePolicyChars(document);
    if (size > INLINE_POLICY_MAX_CHARS) {
      throw new AppError(
        "INVALID_INPUT",
        `The inline pull policy for ${wanted.productTags.length} products and ${wanted.repositoryArns.length} untagged repositories needs ${size} characters; IAM allows ${INLINE_POLICY_MAX_CHARS} per user`,
      );
    }
    await putUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME, document);
  }
  await recordAuditEvent(db, {
    actor,
    action: "aws.inline_policy.updated",
    customerId: identity.customerId,
    data: { userName: identity.userName, ...wanted },
  });
}
