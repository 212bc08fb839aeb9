import { execFileSync } from "node:child_process";
import { emulatorAccountView, type Principal } from "./account-view";
import { createOracle } from "./oracle-proxy";

type Credentials = { accessKeyId: string; secretAccessKey: string };

// The names the emulator account is prepared with (see bootstrapEmulator's callers).
const IAM_PATH = "/pullgate/";
const LOGIN_POLICY = "AmazonEC2ContainerRegistryLogin";
const BOUNDARY_POLICY = "PullgateCustomerBoundary";
const PORTAL_USER = "pullgate-portal";

/** The key the emulator account's trail encrypts its log files with (SSE-KMS). */
export const trailKmsKeyArn = (accountId: string, region: string) => `arn:aws:kms:${region}:${accountId}:key/pullgate-trail-logs`;

/** The portal's policy exactly as `npm run aws:portal-policy` prints it for this account. */
export function printedPortalPolicy(accountId: string, region: string, cloudTrailBucket: string): unknown {
  const args = [accountId, IAM_PATH, LOGIN_POLICY, BOUNDARY_POLICY, cloudTrailBucket, "--cloudtrail-kms-key", trailKmsKeyArn(accountId, region)];
  return JSON.parse(execFileSync("npm", ["run", "--silent", "aws:portal-policy", "--", ...args], { encoding: "utf8" }));
}

/**
 * The oracle in front of the emulator's AWS and S3 endpoints: the portal is judged under its
 * printed policy, every other principal (the vendor's administrator, customers' users) under the
 * policies the account holds for it.
 */
export async function startAwsOracle(opts: { emulator: string; s3: string; region: string; accountId: string; admin: Credentials; cloudTrailBucket: string }) {
  const portalArn = `arn:aws:iam::${opts.accountId}:user/${PORTAL_USER}`;
  const portal: Principal = {
    arn: portalArn,
    accountId: opts.accountId,
    userName: PORTAL_USER,
    identityPolicies: [{ name: "PullgatePortal", policy: printedPortalPolicy(opts.accountId, opts.region, opts.cloudTrailBucket) }],
  };
  const view = emulatorAccountView({ endpoint: opts.emulator, region: opts.region, accountId: opts.accountId, admin: opts.admin, declared: { [portalArn]: portal } });
  // PULLGATE_AWS_ORACLE=report counts what AWS would deny without denying it.
  const oracle = createOracle(view, process.env.PULLGATE_AWS_ORACLE === "report" ? "report" : "enforce");
  const aws = await oracle.listen(opts.emulator);
  const s3 = await oracle.listen(opts.s3);
  return {
    endpoint: aws.url,
    s3Endpoint: s3.url,
    report: oracle.report,
    async stop() {
      await aws.close();
      await s3.close();
      view.destroy();
    },
  };
}
