// Check 1: IAM's own policy simulator on the portal's principal, for every must-allow and
// must-deny case derived from the policy Pullgate asks for.
import type { AdministratorClients } from "@/lib/aws/administrator-clients";
import { isAwsError } from "@/lib/aws/aws-error";
import { simulatePrincipalPolicy } from "@/lib/aws/iam";
import { portalPolicyDocument, type PortalPolicyOptions } from "@/lib/aws/portal-policy";
import { mustAllowChecks, mustDenyChecks, type PermissionCheck } from "./portal-permission-checks";
import { fixFor, type PreflightGroup, type PreflightResult } from "./preflight-result";

const printPolicy = (o: PortalPolicyOptions) =>
  `npm run --silent aws:portal-policy -- ${o.accountId} ${o.iamPath} ${o.loginPolicyName} ${o.boundaryPolicyName}${o.cloudTrailBucket ? ` ${o.cloudTrailBucket}` : ""}` +
  `${o.partition && o.partition !== "aws" ? ` --partition ${o.partition}` : ""}${o.registryRoleName ? ` --registry-role ${o.registryRoleName}` : ""}`;

/** How a principal's simulated checks report: their group, the fix for a wrong decision, and for a principal IAM does not have. */
export type SimulatedChecksReport = { group: PreflightGroup; fix: string; whenMissing: string };

async function runCheck(principalArn: string, check: PermissionCheck, report: SimulatedChecksReport, iam: AdministratorClients["iam"]): Promise<PreflightResult> {
  const base = { group: report.group, check: `${check.expect === "allowed" ? "allows" : "denies"} ${check.name}` };
  try {
    const decisions = await simulatePrincipalPolicy({ principalArn, actions: check.actions, resourceArn: check.resourceArn, context: check.context }, iam);
    const wrong = check.actions.filter((action) => {
      const decision = decisions.find((d) => d.action.toLowerCase() === action.toLowerCase())?.decision;
      return check.expect === "allowed" ? decision !== "allowed" : decision === "allowed";
    });
    if (wrong.length === 0) return { ...base, ok: true };
    const note = `${check.expect === "allowed" ? "not allowed" : "allowed"}: ${wrong.join(", ")}`;
    return { ...base, ok: false, note, fix: report.fix };
  } catch (error) {
    const fix = isAwsError(error, "NoSuchEntity", "NoSuchEntityException")
      ? report.whenMissing
      : fixFor(error, `run the preflight with an administrator's credentials (iam:SimulatePrincipalPolicy on ${principalArn})`);
    return { ...base, ok: false, note: (error as Error).message, fix };
  }
}

/** Each check simulated on the user or role, one result each, through the administrator's `iam`. */
export async function simulateChecks(principalArn: string, checks: PermissionCheck[], report: SimulatedChecksReport, iam: AdministratorClients["iam"]): Promise<PreflightResult[]> {
  const results: PreflightResult[] = [];
  // One at a time: IAM throttles the simulator, and the list is short.
  for (const check of checks) results.push(await runCheck(principalArn, check, report, iam));
  return results;
}

/**
 * Every must-allow and must-deny case for the portal's user or role, one result each; the role of
 * each of `registryAccounts` is where the portal's AssumeRole is asked.
 */
export async function checkPortalPermissions(
  portalArn: string,
  options: PortalPolicyOptions,
  region: string,
  iam: AdministratorClients["iam"],
  registryAccounts: readonly string[] = [],
): Promise<PreflightResult[]> {
  const checks = [...mustAllowChecks(portalPolicyDocument(options), region, registryAccounts), ...mustDenyChecks(options, region)];
  return simulateChecks(portalArn, checks, {
    group: "portal permissions",
    fix: `give ${portalArn} exactly the policy printed by \`${printPolicy(options)}\` (and nothing else)`,
    whenMissing: "--portal must name the portal's existing IAM user or role",
  }, iam);
}
