// Check 1: IAM's own policy simulator on the portal's principal, for every must-allow and
// must-deny case derived from the policy Pullgate asks for.
import { isAwsError } from "@/lib/aws/aws-error";
import { simulatePrincipalPolicy } from "@/lib/aws/iam";
import type { PortalPolicyOptions } from "@/lib/aws/portal-policy";
import type { Credentials } from "@/lib/aws/vendor-admin";
import { mustAllowChecks, mustDenyChecks, type PermissionCheck } from "./portal-permission-checks";
import { fixFor, type PreflightResult } from "./preflight-result";

const printPolicy = (o: PortalPolicyOptions) =>
  `npm run --silent aws:portal-policy -- ${o.accountId} ${o.iamPath} ${o.loginPolicyName} ${o.boundaryPolicyName}${o.cloudTrailBucket ? ` ${o.cloudTrailBucket}` : ""}` +
  `${o.partition && o.partition !== "aws" ? ` --partition ${o.partition}` : ""}`;

async function runCheck(portalArn: string, check: PermissionCheck, fix: string, credentials?: Credentials): Promise<PreflightResult> {
  const base = { group: "portal permissions" as const, check: `${check.expect === "allowed" ? "allows" : "denies"} ${check.name}` };
  try {
    const decisions = await simulatePrincipalPolicy({ principalArn: portalArn, actions: check.actions, resourceArn: check.resourceArn, context: check.context }, credentials);
    const wrong = check.actions.filter((action) => {
      const decision = decisions.find((d) => d.action.toLowerCase() === action.toLowerCase())?.decision;
      return check.expect === "allowed" ? decision !== "allowed" : decision === "allowed";
    });
    if (wrong.length === 0) return { ...base, ok: true };
    const note = `${check.expect === "allowed" ? "not allowed" : "allowed"}: ${wrong.join(", ")}`;
    return { ...base, ok: false, note, fix };
  } catch (error) {
    const fix = isAwsError(error, "NoSuchEntity", "NoSuchEntityException")
      ? "--portal must name the portal's existing IAM user or role"
      : fixFor(error, "run the preflight with an administrator's credentials (iam:SimulatePrincipalPolicy on the portal's principal)");
    return { ...base, ok: false, note: (error as Error).message, fix };
  }
}

/** Every must-allow and must-deny case for the portal's user or role, one result each. */
export async function checkPortalPermissions(portalArn: string, options: PortalPolicyOptions, region: string, credentials?: Credentials): Promise<PreflightResult[]> {
  const fix = `give ${portalArn} exactly the policy printed by \`${printPolicy(options)}\` (and nothing else)`;
  const checks = [...mustAllowChecks(options, region), ...mustDenyChecks(options, region)];
  const results: PreflightResult[] = [];
  // One at a time: IAM throttles the simulator, and the list is short.
  for (const check of checks) results.push(await runCheck(portalArn, check, fix, credentials));
  return results;
}
