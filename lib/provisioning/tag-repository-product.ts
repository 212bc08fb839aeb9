import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getRepositoryTag, tagRepository, type RepositoryRef } from "@/lib/aws/ecr";
import { PRODUCT_TAG_KEY } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { productTagOf, type TaggableRepository } from "./product-tag";

/**
 * Puts the product's tag on an identity-policy repository (read first: a rerun writes nothing)
 * and records it, so customers' inline policies may name the product instead of the repository.
 * The tag lands before any policy relies on it: there is no moment without access.
 */
export async function tagRepositoryWithProduct(repo: RepositoryRef & TaggableRepository & { id: string }, actor: Actor) {
  const { partition } = await portalAccount();
  const value = productTagOf(repo);
  if ((await getRepositoryTag(repo, partition, PRODUCT_TAG_KEY)) !== value) {
    await tagRepository(repo, partition, PRODUCT_TAG_KEY, value);
    await recordAuditEvent(db, {
      actor,
      action: "aws.repository_tag.updated",
      data: { repository: `${repo.accountId}/${repo.region}/${repo.name}`, tag: { [PRODUCT_TAG_KEY]: value } },
    });
  }
  await db.repository.update({ where: { id: repo.id }, data: { taggedFor: value } });
}
