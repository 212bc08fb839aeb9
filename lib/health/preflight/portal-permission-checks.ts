// What the portal's identity must be allowed and must be refused, derived from the policy Pullgate
// asks the vendor to attach (portal-policy.ts), so this check cannot drift from it: each allow
// statement's actions on a sample of its Resource, with condition keys that satisfy its Condition,
// as the portal's real calls carry them.
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import { portalPolicyDocument, type PortalPolicyOptions } from "@/lib/aws/portal-policy";
import { PRODUCT_TAG_KEY } from "@/lib/aws/pull-policy";

/** A condition key as IAM's simulator takes it. */
export type ContextEntry = { key: string; values: string[]; list: boolean };

export type PermissionCheck = {
  name: string;
  expect: "allowed" | "denied";
  actions: string[];
  resourceArn: string;
  context: ContextEntry[];
};

/** Stands in for the name a wildcard in a Resource or condition value would match. */
export const SAMPLE_NAME = "pullgate-preflight-1";

type PolicyStatement = { Sid: string; Action: string[]; Resource: string | string[]; Condition?: object };

/** A concrete ARN the pattern matches: the region of a regional ARN, the sample name for any other wildcard. */
export function sampleResource(pattern: string, region: string): string {
  if (pattern === "*") return pattern;
  const fields = pattern.split(":");
  if (fields.length >= 6 && fields[3] === "*") fields[3] = region;
  return fields.join(":").replaceAll("*", SAMPLE_NAME);
}

/** S3 authorizes object actions against objects and the rest against the bucket. */
function fits(action: string, resource: string) {
  if (!action.startsWith("s3:")) return true;
  const isObject = /^arn:[^:]+:s3:::[^/]+\/.+/.test(resource);
  return /Object/.test(action) === isObject;
}

/** Condition keys and values that satisfy the statement's Condition (the operators portal-policy.ts uses). */
export function satisfyingContext(condition: object | undefined): ContextEntry[] {
  const entries: ContextEntry[] = [];
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const multiValued = operator.startsWith("ForAllValues:") || operator.startsWith("ForAnyValue:");
    for (const [key, value] of Object.entries(keys as Record<string, string | string[]>)) {
      const values = (Array.isArray(value) ? value : [value]).map((v) => v.replaceAll("*", SAMPLE_NAME));
      entries.push({ key, values: multiValued ? values : values.slice(0, 1), list: multiValued });
    }
  }
  return entries;
}

/** Every action of every statement of the portal policy, each where and as that statement allows it. */
export function mustAllowChecks(options: PortalPolicyOptions, region: string): PermissionCheck[] {
  const statements = portalPolicyDocument(options).Statement as PolicyStatement[];
  return statements.flatMap((statement) => {
    const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((r) => sampleResource(r, region));
    const context = satisfyingContext(statement.Condition);
    return resources.flatMap((resourceArn) => {
      const actions = statement.Action.filter((action) => fits(action, resourceArn));
      return actions.length ? [{ name: `${statement.Sid} on ${resourceArn}`, expect: "allowed" as const, actions, resourceArn, context }] : [];
    });
  });
}

const tag = (prefix: string, key: string, value: string): ContextEntry => ({ key: `${prefix}/${key}`, values: [value], list: false });
const tagKeys = (...keys: string[]): ContextEntry => ({ key: "aws:TagKeys", values: keys, list: true });

/** What leaked portal credentials must not be able to do (docs/operations.md lists it). */
export function mustDenyChecks({ accountId, partition = "aws", iamPath }: PortalPolicyOptions, region: string): PermissionCheck[] {
  const repository = `arn:${partition}:ecr:${region}:${accountId}:repository/${SAMPLE_NAME}`;
  const user = `arn:${partition}:iam::${accountId}:user${iamPath}${SAMPLE_NAME}`;
  const marked = tag("aws:ResourceTag", MANAGED_TAG.key, MANAGED_TAG.value);
  const deny = (name: string, actions: string[], resourceArn: string, context: ContextEntry[]): PermissionCheck => ({ name, expect: "denied", actions, resourceArn, context });
  return [
    deny("no repository policy change on an unmarked repository", ["ecr:SetRepositoryPolicy"], repository, []),
    deny("no marking of a repository", ["ecr:TagResource"], repository, [tag("aws:RequestTag", MANAGED_TAG.key, MANAGED_TAG.value), tagKeys(MANAGED_TAG.key)]),
    deny("no other tag than the product's on a marked repository", ["ecr:TagResource"], repository, [marked, tagKeys(PRODUCT_TAG_KEY, "owner")]),
    deny("no user created without the boundary", ["iam:CreateUser"], user, [tag("aws:RequestTag", MANAGED_TAG.key, MANAGED_TAG.value), tagKeys(MANAGED_TAG.key)]),
    deny("no AdministratorAccess attached to a user", ["iam:AttachUserPolicy"], user, [
      marked,
      { key: "iam:PolicyARN", values: [`arn:${partition}:iam::aws:policy/AdministratorAccess`], list: false },
    ]),
    deny("no pulls by the portal", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], repository, [marked]),
    deny("no pushes by the portal", ["ecr:PutImage", "ecr:InitiateLayerUpload"], repository, [marked]),
  ];
}
