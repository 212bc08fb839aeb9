// A pull needs several ECR actions on the repository; it works only when every one is allowed.

import { evaluateAccess } from "./evaluate-access";
import type { AccessRequest, Decision, PolicySet } from "./types";

export const ECR_PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"] as const;

export type PullDecision = {
  allowed: boolean;
  reason: string;
  /** The actions that are not allowed, in the order they were asked about. */
  missing: string[];
  decisions: { action: string; decision: Decision }[];
};

export function evaluatePullAccess(
  request: Omit<AccessRequest, "action">,
  policies: PolicySet,
  actions: readonly [string, ...string[]] = ECR_PULL_ACTIONS,
): PullDecision {
  const decisions = actions.map((action) => ({ action, decision: evaluateAccess({ ...request, action }, policies) }));
  const denied = decisions.filter(({ decision }) => !decision.allowed);
  const missing = denied.map(({ action }) => action);
  if (denied.length > 0) return { allowed: false, reason: missingReason(denied), missing, decisions };
  // Usually one statement allows every action; repeat each distinct reason only once.
  const reasons = [...new Set(decisions.map(({ decision }) => decision.reason))];
  return { allowed: true, reason: `${actions.join(", ")} are all allowed: ${reasons.join("; ")}`, missing, decisions };
}

const ACTION_SLOT = "\u0000";

/**
 * Usually every pull action is missing for one cause, whose reason differs only in the action it
 * names: those share one sentence ("Missing A, B and C: No statement allows them on ..."), so
 * what is missing reads once instead of three times.
 */
function missingReason(denied: { action: string; decision: Decision }[]): string {
  const byCause = new Map<string, string[]>();
  for (const { action, decision } of denied) {
    const cause = decision.reason.replaceAll(action, ACTION_SLOT);
    byCause.set(cause, [...(byCause.get(cause) ?? []), action]);
  }
  return [...byCause]
    .map(([cause, group]) => {
      const named = group.length === 1 ? group[0]! : `${group.slice(0, -1).join(", ")} and ${group.at(-1)}`;
      return `Missing ${named}: ${cause.replaceAll(ACTION_SLOT, group.length === 1 ? group[0]! : "them")}`;
    })
    .join("; ");
}
