// Check 3: every repository the product database sells in the account carries the mark, without
// which the portal may not touch its policy (and customers may not pull from it). Repositories of
// the vendor's other accounts are checked by the preflight run in each of those.
import type { AdministratorClients } from "@/lib/aws/administrator-clients";
import { isAwsError } from "@/lib/aws/aws-error";
import { getRepositoryTags, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import type { AwsAccount } from "@/lib/aws/partition";
import { db } from "@/lib/db";
import { fixFor, type PreflightResult } from "./preflight-result";

const group = "repository marks" as const;

/** The fix for a repository without the mark, as docs/operations.md gives it. */
export const tagResourceFix = (arn: string) => `aws ecr tag-resource --resource-arn ${arn} --tags Key=${MANAGED_TAG.key},Value=${MANAGED_TAG.value}`;

/** `ecr` reads a region's repositories as the administrator running the preflight, not through a registry role. */
export async function checkRepositoryMarks({ accountId, partition }: AwsAccount, ecr: AdministratorClients["ecr"]): Promise<PreflightResult[]> {
  let repositories: RepositoryRef[];
  try {
    repositories = await db.repository.findMany({ where: { accountId }, select: { accountId: true, region: true, name: true }, orderBy: [{ region: "asc" }, { name: "asc" }] });
  } catch (error) {
    return [{ group, check: "product database", ok: false, note: `unreachable: ${(error as Error).message.split("\n").at(-1)}`, fix: "set DATABASE_URL to the portal's database and run again" }];
  }
  if (repositories.length === 0) return [{ group, check: "product database", ok: true, note: `no repository of account ${accountId} sold yet` }];
  const results: PreflightResult[] = [];
  for (const repo of repositories) {
    const arn = repositoryArn(repo, partition);
    try {
      const tags = await getRepositoryTags(repo, partition, ecr(repo.region));
      const ok = tags[MANAGED_TAG.key] === MANAGED_TAG.value;
      results.push(ok ? { group, check: arn, ok } : { group, check: arn, ok, note: `not tagged ${MANAGED_TAG.key}=${MANAGED_TAG.value}`, fix: tagResourceFix(arn) });
    } catch (error) {
      const fix = isAwsError(error, "RepositoryNotFoundException")
        ? "create the repository, or remove it from its product"
        : fixFor(error, "run the preflight with an administrator's credentials (ecr:ListTagsForResource)");
      results.push({ group, check: arn, ok: false, note: (error as Error).message, fix });
    }
  }
  return results;
}
