import { isPrincipalNotYetVisible, putRepositoryPolicy, type RepositoryRef } from "@/lib/aws/ecr";
import { pullPrincipals, withPullPrincipals } from "@/lib/aws/pull-policy";

export type PrincipalRefusal = { principal: string; reason: string };
export type StatementWrite = { policy: string | null; refused: PrincipalRefusal[] };

/**
 * Converges Pullgate's pull statement from `current` to naming exactly `wanted`, so that no
 * principal AWS refuses holds up anyone else's change. ECR validates every principal of the
 * document on each write, and one it refuses (a deleted user, an account that does not exist)
 * fails the whole write. So removals go first and on their own (they name no principal that was
 * not already accepted, and they also drop what AWS shows of deleted principals); then the
 * additions together, and if AWS refuses that write, each addition alone. Returns the policy as
 * written and the additions AWS refused, with its reason.
 */
export async function writePullStatement(repo: RepositoryRef, current: string | null, wanted: string[]): Promise<StatementWrite> {
  const wantedSet = new Set(wanted);
  const present = pullPrincipals(current);
  const kept = present.filter((p) => wantedSet.has(p));
  const additions = [...wantedSet].filter((p) => !present.includes(p));
  let policy = current;
  if (kept.length !== present.length) {
    policy = withPullPrincipals(current, kept);
    await putRepositoryPolicy(repo, policy);
  }
  if (additions.length === 0) return { policy, refused: [] };

  const attempt = async (principals: string[], waitForNewPrincipals: boolean) => {
    const next = withPullPrincipals(policy, [...pullPrincipals(policy), ...principals]);
    await putRepositoryPolicy(repo, next, { waitForNewPrincipals });
    policy = next;
  };
  try {
    // The batch waits out IAM's propagation of just-created users; the isolating writes do not.
    await attempt(additions, true);
    return { policy, refused: [] };
  } catch (error) {
    if (!isPrincipalNotYetVisible(error)) throw error;
    if (additions.length === 1) return { policy, refused: [{ principal: additions[0]!, reason: (error as Error).message }] };
  }
  const refused: PrincipalRefusal[] = [];
  for (const principal of additions) {
    try {
      await attempt([principal], false);
    } catch (error) {
      if (!isPrincipalNotYetVisible(error)) throw error;
      refused.push({ principal, reason: (error as Error).message });
    }
  }
  return { policy, refused };
}
