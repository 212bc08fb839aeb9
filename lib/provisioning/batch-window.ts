import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { awaitsRepositoryWrite } from "./grant-placement";

/**
 * Whether the repository's next policy write should wait, and until when. A burst of purchases
 * reaches the repository one identity at a time (IAM is the slow, rate-limited part); writing as
 * each arrives would cost one write per customer. So additions wait while other customers of the
 * repository are still getting their IAM user, but never longer than PULLGATE_POLICY_BATCH_SECONDS
 * after the first one became ready. Removals end access and never wait. Null means write now.
 */
export async function policyWriteDue(repositoryId: string, now: Date): Promise<Date | null> {
  const repo = await db.repository.findUniqueOrThrow({
    where: { id: repositoryId },
    select: { strategy: true, writeDueAt: true, grants: { select: { desired: true, applied: true, inline: true, customerAccountId: true } } },
  });
  const pending = repo.grants.filter((g) => awaitsRepositoryWrite(g, repo.strategy));
  if (pending.length === 0 || pending.some((g) => g.applied)) return null;
  if (repo.writeDueAt && repo.writeDueAt <= now) return null;
  if ((await identitiesInFlight(repositoryId, now)) === 0) return null;
  if (repo.writeDueAt) return repo.writeDueAt;
  const due = new Date(now.getTime() + env().PULLGATE_POLICY_BATCH_SECONDS * 1000);
  await db.repository.update({ where: { id: repositoryId }, data: { writeDueAt: due } });
  return due;
}

/** Customers entitled to the repository now whose identity has not reached it yet. */
function identitiesInFlight(repositoryId: string, now: Date) {
  return db.entitlement.count({
    where: {
      syncStatus: "PENDING",
      status: "ACTIVE",
      startsAt: { lte: now },
      expiresAt: { gt: now },
      product: { repositories: { some: { id: repositoryId } } },
      customer: { identities: { none: { liveFor: { not: null }, grants: { some: { repositoryId, desired: true } } } } },
    },
  });
}
