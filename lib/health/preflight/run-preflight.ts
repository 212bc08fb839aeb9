// The go-live check an operator runs before pointing the portal at an account: every check, in
// order, against the account of the portal's principal and the configured names.
import type { Credentials } from "@/lib/aws/vendor-admin";
import { env } from "@/lib/env";
import { checkCloudTrailBucket } from "./cloudtrail-bucket";
import { checkCustomerPolicies } from "./customer-policies";
import { checkIamQuotas } from "./iam-quotas";
import { checkPortalPermissions } from "./portal-permissions";
import type { PreflightResult } from "./preflight-result";
import { checkRepositoryMarks } from "./repository-marks";

const PRINCIPAL_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;

/** The account and partition of a user or role ARN, or null when it is neither. */
export function principalAccount(arn: string): { accountId: string; partition: string } | null {
  const match = PRINCIPAL_ARN.exec(arn);
  return match ? { partition: match[1]!, accountId: match[2]! } : null;
}

/**
 * Runs every check. `credentials` sign the simulator's calls (an administrator's); the other
 * reads use the default chain, which the CLI gives the same administrator.
 */
export async function runPreflight(opts: { portalArn: string; credentials?: Credentials }): Promise<PreflightResult[]> {
  const account = principalAccount(opts.portalArn);
  if (!account) throw new Error(`${opts.portalArn} is not the ARN of an IAM user or role`);
  const config = env();
  const names = { iamPath: config.PULLGATE_IAM_PATH, loginPolicyName: config.PULLGATE_LOGIN_POLICY_NAME, boundaryPolicyName: config.PULLGATE_BOUNDARY_POLICY_NAME };
  const bucket = config.PULLGATE_CLOUDTRAIL_BUCKET;
  const policyOptions = { ...account, ...names, ...(bucket ? { cloudTrailBucket: bucket } : {}) };
  const trail = bucket
    ? { bucket, prefix: config.PULLGATE_CLOUDTRAIL_PREFIX, accountId: account.accountId, region: config.AWS_REGION, ...(config.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID ? { organizationId: config.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID } : {}) }
    : null;
  return [
    ...(await checkPortalPermissions(opts.portalArn, policyOptions, config.AWS_REGION, opts.credentials)),
    ...(await checkCustomerPolicies(account, names)),
    ...(await checkRepositoryMarks(account.partition)),
    ...(await checkIamQuotas()),
    ...(await checkCloudTrailBucket(trail)),
  ];
}
