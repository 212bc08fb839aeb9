// An independent evaluator of the IAM policies read back from AWS, answering "can this principal
// pull from this repository now?". It deliberately shares no code with what writes those policies,
// so a mistake there cannot hide itself here.

export { evaluateAccess } from "./evaluate-access";
export { ECR_PULL_ACTIONS, evaluatePullAccess, type PullDecision } from "./evaluate-pull";
export type { AccessRequest, Decision, PolicyDocument, PolicyKind, PolicySet, PolicySource, StatementRef } from "./types";
