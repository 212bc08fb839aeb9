// Check 2: the login policy and the permissions boundary every customer user gets. Missing is
// fine (the portal creates them); present, they must allow no more than Pullgate's own, and the
// boundary must limit pulls to the repositories the vendor marked.
import { isAwsError } from "@/lib/aws/aws-error";
import { managedPolicyDocument, policyArn } from "@/lib/aws/iam";
import { allowsOnly, BOUNDARY_POLICY_ACTIONS, LOGIN_POLICY_ACTIONS, loginPolicyDocument } from "@/lib/aws/login-policy";
import { carriesManagedTag } from "@/lib/aws/managed-mark";
import type { AwsAccount } from "@/lib/aws/partition";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { fixFor, type PreflightResult } from "./preflight-result";

type Statement = { Action?: unknown; Condition?: { StringEquals?: Record<string, unknown> } };

/** True when every statement that allows a pull holds it to repositories carrying the mark. */
export function pullsNeedTheMark(document: unknown): boolean {
  const statement = (document as { Statement?: unknown })?.Statement;
  const statements = (Array.isArray(statement) ? statement : [statement]) as Statement[];
  const pulls = new Set(PULL_ACTIONS.map((a) => a.toLowerCase()));
  const [key, value] = Object.entries(carriesManagedTag())[0]!;
  return statements
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => typeof a === "string" && pulls.has(a.toLowerCase())))
    .every((s) => s.Condition?.StringEquals?.[key] === value);
}

async function readPolicy(arn: string): Promise<{ document: unknown } | null> {
  try {
    return { document: await managedPolicyDocument(arn) };
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}

export async function checkCustomerPolicies(account: AwsAccount, names: { iamPath: string; loginPolicyName: string; boundaryPolicyName: string }): Promise<PreflightResult[]> {
  const group = "customer policies" as const;
  const partition = account.partition === "aws" ? "" : ` --partition ${account.partition}`;
  const fixWith = (arn: string, boundary: boolean) => {
    const write = boundary
      ? `npm run --silent aws:portal-policy -- ${account.accountId}${partition} --boundary > policy.json`
      : `write ${JSON.stringify(JSON.stringify(loginPolicyDocument()))} to policy.json`;
    return `${write}, then aws iam create-policy-version --policy-arn ${arn} --set-as-default --policy-document file://policy.json`;
  };
  const policies = [
    { label: "login policy", name: names.loginPolicyName, allowed: LOGIN_POLICY_ACTIONS, boundary: false },
    { label: "permissions boundary", name: names.boundaryPolicyName, allowed: BOUNDARY_POLICY_ACTIONS, boundary: true },
  ];
  const results: PreflightResult[] = [];
  for (const policy of policies) {
    const arn = policyArn(account, names.iamPath, policy.name);
    const check = `${policy.label} ${arn}`;
    try {
      const found = await readPolicy(arn);
      if (!found) {
        results.push({ group, check, ok: true, note: "not created yet: the portal creates it" });
      } else if (!allowsOnly(found.document, policy.allowed)) {
        results.push({ group, check, ok: false, note: `allows more than ${policy.allowed.join(", ")}`, fix: fixWith(arn, policy.boundary) });
      } else if (policy.boundary && !pullsNeedTheMark(found.document)) {
        results.push({ group, check, ok: false, note: "pulls are not limited to repositories tagged pullgate:managed=true", fix: fixWith(arn, true) });
      } else {
        results.push({ group, check, ok: true });
      }
    } catch (error) {
      results.push({ group, check, ok: false, note: (error as Error).message, fix: fixFor(error, `run the preflight with an administrator's credentials (iam:GetPolicy, iam:GetPolicyVersion on ${arn})`) });
    }
  }
  return results;
}
