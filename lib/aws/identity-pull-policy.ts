import { getUserInlinePolicy, listUserInlinePolicyNames } from "./iam";
import { PULL_ACTIONS } from "./pull-policy";

// The identity-policy strategy: an inline policy on the customer user naming the repositories it
// may pull from. Same-account pulls need no repository-policy entry then, so the repository's
// 10,240-character limit and its shared document stop mattering.

export const INLINE_PULL_POLICY_NAME = "PullgatePull";
/** IAM's limit for all inline policies of one user, whitespace not counted. */
export const INLINE_POLICY_MAX_CHARS = 2_048;

export function inlinePullPolicyDocument(repositoryArns: string[]) {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "PullEntitledRepositories", Effect: "Allow", Action: PULL_ACTIONS, Resource: [...repositoryArns].sort() }],
  };
}

/** The repository ARNs an inline pull policy read back from IAM grants, sorted. */
export function inlinePullResources(document: unknown): string[] {
  const statement = (document as { Statement?: unknown } | null)?.Statement;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  const resources = statements.flatMap((s: { Resource?: unknown }) =>
    Array.isArray(s.Resource) ? s.Resource : typeof s.Resource === "string" ? [s.Resource] : [],
  );
  return resources.filter((r): r is string => typeof r === "string").sort();
}

/** A user's inline policies as IAM holds them: every policy's name, and the repository ARNs its pull policy grants (none without one). */
export async function readInlinePullPolicy(userName: string): Promise<{ policyNames: string[]; repositoryArns: string[] }> {
  const policyNames = await listUserInlinePolicyNames(userName);
  const repositoryArns = policyNames.includes(INLINE_PULL_POLICY_NAME)
    ? inlinePullResources(await getUserInlinePolicy(userName, INLINE_PULL_POLICY_NAME))
    : [];
  return { policyNames, repositoryArns };
}
