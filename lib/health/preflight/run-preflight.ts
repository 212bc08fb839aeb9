// The go-live check an operator runs before pointing the portal at an account: every check, in
// order, against the account of the portal's principal and the configured names; or, in each
// other account holding repositories, against that account's registry role.
import { administratorClients } from "@/lib/aws/administrator-clients";
import { callerAccount } from "@/lib/aws/sts";
import type { Credentials } from "@/lib/aws/vendor-admin";
import { env } from "@/lib/env";
import { checkCloudTrailBucket } from "./cloudtrail-bucket";
import { checkCustomerPolicies } from "./customer-policies";
import { checkIamQuotas } from "./iam-quotas";
import { checkPortalPermissions } from "./portal-permissions";
import type { PreflightResult } from "./preflight-result";
import { checkRegistryRole, checkRegistrySetting } from "./registry-role";
import { checkRepositoryMarks } from "./repository-marks";

const PRINCIPAL_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;

/** The account and partition of a user or role ARN, or null when it is neither. */
export function principalAccount(arn: string): { accountId: string; partition: string } | null {
  const match = PRINCIPAL_ARN.exec(arn);
  return match ? { partition: match[1]!, accountId: match[2]! } : null;
}

function portalAccountOf(portalArn: string) {
  const account = principalAccount(portalArn);
  if (!account) throw new Error(`${portalArn} is not the ARN of an IAM user or role`);
  return account;
}

/**
 * Runs every check. `credentials` sign the simulator's calls (an administrator's); the other
 * reads use the default chain, which the CLI gives the same administrator.
 */
export async function runPreflight(opts: { portalArn: string; credentials?: Credentials }): Promise<PreflightResult[]> {
  const account = portalAccountOf(opts.portalArn);
  const config = env();
  const names = { iamPath: config.PULLGATE_IAM_PATH, loginPolicyName: config.PULLGATE_LOGIN_POLICY_NAME, boundaryPolicyName: config.PULLGATE_BOUNDARY_POLICY_NAME };
  const bucket = config.PULLGATE_CLOUDTRAIL_BUCKET;
  const registryAccounts = config.PULLGATE_REGISTRY_ACCOUNTS;
  const policyOptions = {
    ...account,
    ...names,
    ...(bucket ? { cloudTrailBucket: bucket } : {}),
    ...(registryAccounts.length ? { registryRoleName: config.PULLGATE_REGISTRY_ROLE_NAME } : {}),
  };
  const trail = bucket
    ? { bucket, prefix: config.PULLGATE_CLOUDTRAIL_PREFIX, accountId: account.accountId, region: config.AWS_REGION, ...(config.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID ? { organizationId: config.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID } : {}) }
    : null;
  const simulator = administratorClients(opts.credentials);
  const caller = administratorClients();
  try {
    return [
      ...(await checkPortalPermissions(opts.portalArn, policyOptions, config.AWS_REGION, simulator.iam, registryAccounts)),
      ...(await checkCustomerPolicies(account, names)),
      ...(await checkRepositoryMarks(account, caller.ecr)),
      ...(await checkIamQuotas()),
      ...(await checkCloudTrailBucket(trail)),
    ];
  } finally {
    simulator.destroy();
    caller.destroy();
  }
}

/**
 * The run in one of the vendor's other accounts holding repositories (`--registry-account`), as
 * that account's administrator: `credentials`, else the default chain, sign every call.
 */
export async function runRegistryPreflight(opts: { portalArn: string; credentials?: Credentials }): Promise<PreflightResult[]> {
  const portal = portalAccountOf(opts.portalArn);
  const config = env();
  const clients = administratorClients(opts.credentials);
  try {
    const account = await callerAccount(clients.sts);
    const role = { account, iamPath: config.PULLGATE_IAM_PATH, roleName: config.PULLGATE_REGISTRY_ROLE_NAME, portalArn: opts.portalArn, region: config.AWS_REGION };
    return [
      ...(await checkRegistryRole(role, clients.iam)),
      checkRegistrySetting(account.accountId, portal.accountId, config.PULLGATE_REGISTRY_ACCOUNTS),
      ...(await checkRepositoryMarks(account, clients.ecr)),
    ];
  } finally {
    clients.destroy();
  }
}
