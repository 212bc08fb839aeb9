import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getRepositoryPolicy, putRepositoryPolicy } from "@/lib/aws/ecr";
import { pullPrincipals, samePolicy, withPullPrincipals } from "@/lib/aws/pull-policy";
import { db } from "@/lib/db";
import { withLock } from "./advisory-lock";

/**
 * Converges one repository policy to the database: Pullgate's pull statement names exactly the
 * principals whose grant is desired. Every pending addition and removal lands in one write, under
 * a lock, so concurrent writers never lose each other's principals. Rerunning changes nothing.
 */
export async function reconcileRepository(repositoryId: string, actor: Actor) {
  return withLock(`repository:${repositoryId}`, async () => {
    const repo = await db.repository.findUniqueOrThrow({ where: { id: repositoryId } });
    const grants = await db.repositoryGrant.findMany({ where: { repositoryId } });
    const wanted = grants.filter((g) => g.desired).map((g) => g.principal);
    try {
      const current = await getRepositoryPolicy(repo);
      const next = withPullPrincipals(current, wanted);
      if (!samePolicy(current, next)) {
        const before = new Set(pullPrincipals(current));
        const after = new Set(pullPrincipals(next));
        await putRepositoryPolicy(repo, next);
        await recordAuditEvent(db, {
          actor,
          action: "aws.repository_policy.updated",
          data: {
            repository: `${repo.accountId}/${repo.region}/${repo.name}`,
            added: [...after].filter((p) => !before.has(p)),
            removed: [...before].filter((p) => !after.has(p)),
          },
        });
      }
      const now = new Date();
      // A grant whose desire changed since we read it stays unapplied; its writer reconciles again.
      for (const g of grants.filter((g) => g.applied !== g.desired)) {
        await db.repositoryGrant.updateMany({
          where: { id: g.id, desired: g.desired },
          data: { applied: g.desired, appliedAt: now },
        });
      }
      await db.repository.update({ where: { id: repo.id }, data: { syncedAt: now, syncError: null } });
    } catch (error) {
      await db.repository.update({ where: { id: repo.id }, data: { syncError: String((error as Error).message ?? error) } });
      throw error;
    }
  });
}
