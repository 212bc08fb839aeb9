import { getUserInlinePolicy, listUserInlinePolicyNames } from "./iam";
import type { AwsAccount } from "./partition";
import { canonicalJson, PRODUCT_TAG_KEY, PULL_ACTIONS } from "./pull-policy";

// The identity-policy strategy: an inline policy on the customer user grants its pulls, so
// same-account pulls need no repository-policy entry and the repository's 10,240-character
// limit stops mattering. IAM allows a user 2,048 characters of inline policy, about 20 ARNs, so
// the policy names products instead: each of their repositories carries the product's tag, and
// one condition lists the customer's products (a few characters each). A repository not tagged
// yet is named by its ARN until it is, so moving to the tag never leaves a gap.

export const INLINE_PULL_POLICY_NAME = "PullgatePull";
/** IAM's limit for all inline policies of one user, whitespace not counted. */
export const INLINE_POLICY_MAX_CHARS = 2_048;
const PRODUCT_CONDITION_KEY = `aws:ResourceTag/${PRODUCT_TAG_KEY}`;

/** What an inline pull policy grants: repositories by ARN, and every repository tagged with one of the product tags. */
export type InlinePullGrant = { repositoryArns: string[]; productTags: string[] };

export function inlinePullPolicyDocument(grant: InlinePullGrant, { partition }: Pick<AwsAccount, "partition">) {
  const Action = PULL_ACTIONS;
  const statements: object[] = [];
  if (grant.repositoryArns.length > 0) {
    statements.push({ Sid: "PullEntitledRepositories", Effect: "Allow", Action, Resource: [...grant.repositoryArns].sort() });
  }
  if (grant.productTags.length > 0) {
    statements.push({
      Sid: "PullEntitledProducts",
      Effect: "Allow",
      Action,
      // Any of the vendor's accounts: the product tag is what scopes it, the boundary caps it at
      // marked repositories, and another account's repository must trust the user too.
      Resource: `arn:${partition}:ecr:*:*:repository/*`,
      Condition: { StringEquals: { [PRODUCT_CONDITION_KEY]: [...grant.productTags].sort() } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** IAM counts a policy's characters without whitespace, as JSON.stringify writes it. */
export const inlinePolicyChars = (document: object) => JSON.stringify(document).length;

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === "string").sort();

/** What an inline pull policy read back from IAM grants, each list sorted. */
export function inlinePullGrant(document: unknown): InlinePullGrant {
  const statements = asList((document as { Statement?: unknown } | null)?.Statement) as { Resource?: unknown; Condition?: unknown }[];
  const repositoryArns: unknown[] = [];
  const productTags: unknown[] = [];
  for (const s of statements) {
    const condition = s.Condition as { StringEquals?: Record<string, unknown> } | undefined;
    if (condition === undefined) repositoryArns.push(...asList(s.Resource));
    else productTags.push(...asList(condition.StringEquals?.[PRODUCT_CONDITION_KEY]));
  }
  return { repositoryArns: strings(repositoryArns), productTags: strings(productTags) };
}

/** True when a policy read back from IAM is exactly `document` (a policy written by an earlier release is not). */
export const sameDocument = (current: unknown, document: object) => canonicalJson(current) === canonicalJson(document);

/** A user's inline policies as IAM holds them: every policy's name, and what its pull policy grants (nothing without one). */
export async function readInlinePullPolicy(userName: string): Promise<{ policyNames: string[]; grant: InlinePullGrant }> {
  const policyNames = await listUserInlinePolicyNames(userName);
  const grant = policyNames.includes(INLINE_PULL_POLICY_NAME)
    ? inlinePullGrant(await getUserInlinePolicy(userName, INLINE_PULL_POLICY_NAME))
    : { repositoryArns: [], productTags: [] };
  return { policyNames, grant };
}
