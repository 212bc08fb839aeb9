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
  if (denied.length > 0) {
    const reason = denied.map(({ action, decision }) => `Missing ${action}: ${decision.reason}`).join("; ");
    return { allowed: false, reason, missing, decisions };
  }
  // Usually one statement allows every action; repeat each distinct reason only once.
  const reasons = [...new Set(decisions.map(({ decision }) => decision.reason))];
  return { allowed: true, reason: `${actions.join(", ")} are all allowed: ${reasons.join("; ")}`, missing, decisions };
}
