// What the portal's identity (or the role a registry account gives it) must be allowed and must be
// refused, derived from the policy Pullgate asks the vendor to attach (portal-policy.ts,
// registry-role.ts), so this check cannot drift from it: each allow statement's actions on a
// sample of its Resource, with condition keys that satisfy its Condition, as the portal's real
// calls carry them.
import { MANAGED_TAG } from "@/lib/aws/managed-mark";
import type { AwsAccount } from "@/lib/aws/partition";
import type { PortalPolicyOptions } from "@/lib/aws/portal-policy";
import { PRODUCT_TAG_KEY } from "@/lib/aws/pull-policy";
import type { Statement } from "@/lib/aws/repository-statements";
import { WORKLOAD_ROLE_PREFIX } from "@/lib/aws/workload-role";

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

/**
 * A concrete ARN the pattern matches: the region of a regional ARN, `account` for any account
 * (an account id is all IAM takes there), the sample name for any other wildcard.
 */
export function sampleResource(pattern: string, region: string, account?: string): string {
  if (pattern === "*") return pattern;
  const fields = pattern.split(":");
  if (fields.length >= 6 && fields[3] === "*") fields[3] = region;
  if (fields.length >= 6 && fields[4] === "*") {
    if (!account) throw new Error(`${pattern} names any account: sample it with an account id`);
    fields[4] = account;
  }
  return fields.join(":").replaceAll("*", SAMPLE_NAME);
}

/** The pattern's samples: one per account of `accounts` where it names any account (none given throws), else one. */
function sampleResources(pattern: string, region: string, accounts: readonly string[]): string[] {
  const anyAccount = pattern.split(":")[4] === "*";
  return anyAccount && accounts.length ? accounts.map((account) => sampleResource(pattern, region, account)) : [sampleResource(pattern, region)];
}

/**
 * Whether the action applies to that kind of resource, where one statement names several: S3
 * authorizes object actions against objects and the rest against the bucket; IAM's role and OIDC
 * provider actions each against their own resource type.
 */
function fits(action: string, resource: string) {
  // An action without a resource type (ListOpenIDConnectProviders) is only ever asked on "*".
  if (resource === "*") return true;
  if (action.startsWith("s3:")) return /Object/.test(action) === /^arn:[^:]+:s3:::[^/]+\/.+/.test(resource);
  const iamType = /^arn:[^:]+:iam::[^:]*:([a-z-]+)\//.exec(resource)?.[1];
  if (/^iam:.*OpenIDConnectProvider/.test(action)) return iamType === "oidc-provider";
  if (/^iam:.*Role/.test(action)) return iamType === "role";
  return true;
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

/**
 * Every action of every statement of the policy, each where and as that statement allows it; a
 * Resource naming any account is asked in each of `accounts` (the registry accounts the portal's
 * policy reaches with its role there).
 */
export function mustAllowChecks(policy: { Statement: readonly Statement[] }, region: string, accounts: readonly string[] = []): PermissionCheck[] {
  return policy.Statement.flatMap((statement) => {
    const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).flatMap((r) => sampleResources(r, region, accounts));
    const context = satisfyingContext(statement.Condition);
    return resources.flatMap((resourceArn) => {
      const actions = statement.Action.filter((action) => fits(action, resourceArn));
      return actions.length ? [{ name: `${statement.Sid} on ${resourceArn}`, expect: "allowed" as const, actions, resourceArn, context }] : [];
    });
  });
}

const tag = (prefix: string, key: string, value: string): ContextEntry => ({ key: `${prefix}/${key}`, values: [value], list: false });
const tagKeys = (...keys: string[]): ContextEntry => ({ key: "aws:TagKeys", values: keys, list: true });

const marked = tag("aws:ResourceTag", MANAGED_TAG.key, MANAGED_TAG.value);
const deny = (name: string, actions: string[], resourceArn: string, context: ContextEntry[]): PermissionCheck => ({ name, expect: "denied", actions, resourceArn, context });

/** What leaked portal credentials, or a session of a registry account's role, must not do to the account's repositories. */
export function repositoryMustDenyChecks({ accountId, partition }: AwsAccount, region: string): PermissionCheck[] {
  const repository = `arn:${partition}:ecr:${region}:${accountId}:repository/${SAMPLE_NAME}`;
  return [
    deny("no repository policy change on an unmarked repository", ["ecr:SetRepositoryPolicy"], repository, []),
    deny("no marking of a repository", ["ecr:TagResource"], repository, [tag("aws:RequestTag", MANAGED_TAG.key, MANAGED_TAG.value), tagKeys(MANAGED_TAG.key)]),
    deny("no other tag than the product's on a marked repository", ["ecr:TagResource"], repository, [marked, tagKeys(PRODUCT_TAG_KEY, "owner")]),
    deny("no pulls by the portal", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], repository, [marked]),
    deny("no pushes by the portal", ["ecr:PutImage", "ecr:InitiateLayerUpload"], repository, [marked]),
  ];
}

/** What leaked portal credentials must not be able to do (docs/operations.md lists it). */
export function mustDenyChecks({ accountId, partition = "aws", iamPath }: PortalPolicyOptions, region: string): PermissionCheck[] {
  const user = `arn:${partition}:iam::${accountId}:user${iamPath}${SAMPLE_NAME}`;
  const workloadRole = `arn:${partition}:iam::${accountId}:role${iamPath}${WORKLOAD_ROLE_PREFIX}${SAMPLE_NAME}`;
  const provider = `arn:${partition}:iam::${accountId}:oidc-provider/${SAMPLE_NAME}`;
  const requestsMark = [tag("aws:RequestTag", MANAGED_TAG.key, MANAGED_TAG.value), tagKeys(MANAGED_TAG.key)];
  return [
    ...repositoryMustDenyChecks({ accountId, partition }, region),
    deny("no workload role created without the boundary", ["iam:CreateRole"], workloadRole, requestsMark),
    deny("no change to a role Pullgate did not create", ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRole"], workloadRole, []),
    deny("no change to an OIDC provider Pullgate did not create", ["iam:AddClientIDToOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider"], provider, []),
    deny("no user created without the boundary", ["iam:CreateUser"], user, [tag("aws:RequestTag", MANAGED_TAG.key, MANAGED_TAG.value), tagKeys(MANAGED_TAG.key)]),
    deny("no AdministratorAccess attached to a user", ["iam:AttachUserPolicy"], user, [
      marked,
      { key: "iam:PolicyARN", values: [`arn:${partition}:iam::aws:policy/AdministratorAccess`], list: false },
    ]),
  ];
}
