import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import type { SandboxDescription } from "@/lib/sandbox/sandbox-files";

/** What the running sandbox wrote about itself (URLs, admin sign-in, emulator endpoint). */
export function sandbox(): SandboxDescription {
  return JSON.parse(readFileSync(path.resolve(".pullgate/e2e/sandbox.json"), "utf8")) as SandboxDescription;
}

export type Mail = { to: string; subject: string; text: string };

export async function inbox(to: string): Promise<Mail[]> {
  const url = sandbox().mail.inboxUrl;
  if (!url) throw new Error("The sandbox has no local mail inbox");
  const res = await fetch(`${url}?to=${encodeURIComponent(to)}`);
  return (await res.json()) as Mail[];
}

/**
 * Runs the customer's own login command from the download page with the AWS CLI, pointed at the
 * sandbox's emulator. Returns the exit status and output.
 */
export function awsCliLogin(credentials: { accessKeyId: string; secretAccessKey: string }) {
  const { aws } = sandbox();
  const result = spawnSync(
    "aws",
    ["ecr", "get-login-password", "--region", aws.region, ...(aws.endpoint ? ["--endpoint-url", aws.endpoint] : [])],
    {
      encoding: "utf8",
      env: {
        ...({} as NodeJS.ProcessEnv),
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
    },
  );
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/**
 * Delivers a CloudTrail log file holding one successful pull, as a trail would, into the sandbox's
 * trail bucket (its S3 emulator takes any credentials).
 */
export async function deliverPullToTrail(pull: { userName: string; accessKeyId: string; repository: string; tag: string }) {
  const { aws } = sandbox();
  if (!aws.trail) throw new Error("The sandbox has no CloudTrail bucket");
  const admin = vendorAdmin({
    endpoint: aws.endpoint!,
    s3Endpoint: aws.trail.s3Endpoint,
    region: aws.region,
    accountId: aws.accountId,
    credentials: { accessKeyId: "trail-delivery", secretAccessKey: "trail-delivery" },
  });
  const now = new Date();
  const key = `${trailDayPrefix({ prefix: "", accountId: aws.accountId, region: aws.region, day: now })}${aws.accountId}_CloudTrail_${aws.region}_${now.getTime()}.json.gz`;
  await admin.putTrailLog(aws.trail.bucket, key, [
    {
      eventVersion: "1.08",
      eventID: `e2e-${now.getTime()}-${pull.accessKeyId}`,
      eventTime: now.toISOString(),
      eventSource: "ecr.amazonaws.com",
      eventName: "BatchGetImage",
      awsRegion: aws.region,
      userIdentity: { type: "IAMUser", userName: pull.userName, accountId: aws.accountId, accessKeyId: pull.accessKeyId },
      requestParameters: { registryId: aws.accountId, repositoryName: pull.repository, imageIds: [{ imageTag: pull.tag }] },
    },
  ]);
  admin.destroy();
}
