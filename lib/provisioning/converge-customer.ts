import type { Actor } from "@/lib/audit/actor";
import { reconcileCustomer, type ReconcileOptions } from "./reconcile-customer";
import { reconcileRepository } from "./reconcile-repository";

// customer → repositories → customer, plus one more round when a repository changes strategy
// under our feet (customer gets its inline policy → repository drops the statement entry).
const MAX_ROUNDS = 4;

export type ConvergeResult = { ok: true } | { ok: false; error: string };

/**
 * Drives both halves of the reconcile path for one customer in this process, without the job
 * queue, until AWS matches the database: used where the caller must wait for the outcome
 * (commands, the drift repair, tests). The same two functions run as queued jobs otherwise.
 */
export async function convergeCustomer(customerId: string, actor: Actor, options: ReconcileOptions = {}): Promise<ConvergeResult> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = await reconcileCustomer(customerId, actor, round === 0 ? options : {});
    if (!result.ok) return result;
    if (result.waitingOn.length === 0) return { ok: true };
    for (const repositoryId of result.waitingOn) {
      try {
        const { refused } = await reconcileRepository(repositoryId, actor);
        const mine = refused.find((r) => r.customerId === customerId);
        if (mine) return { ok: false, error: `AWS refused ${mine.principal}: ${mine.reason}` };
      } catch (error) {
        return { ok: false, error: String((error as Error)?.message ?? error) };
      }
    }
  }
  return { ok: false, error: `still waiting on repository policies after ${MAX_ROUNDS} rounds` };
}
