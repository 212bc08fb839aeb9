// Check 5: the bucket CloudTrail delivers to, when pull history is configured, can be listed
// where the portal looks for today's log files.
import { isAwsError } from "@/lib/aws/aws-error";
import { listTrailLogKeys, trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { fixFor, type PreflightResult } from "./preflight-result";

export type TrailSettings = { bucket: string; prefix: string; organizationId?: string; accountId: string; region: string };

export async function checkCloudTrailBucket(trail: TrailSettings | null, now = new Date()): Promise<PreflightResult[]> {
  if (!trail) return [];
  const prefix = trailDayPrefix({ ...trail, day: now });
  const check = `list s3://${trail.bucket}/${prefix}`;
  try {
    const keys = await listTrailLogKeys(trail.bucket, prefix);
    return [{ group: "cloudtrail", check, ok: true, note: `${keys.length} log files today` }];
  } catch (error) {
    const fix = isAwsError(error, "NoSuchBucket")
      ? "set PULLGATE_CLOUDTRAIL_BUCKET to the bucket the account's trail delivers to"
      : fixFor(error, "run the preflight with an administrator's credentials, and check the bucket policy lets the account list it");
    return [{ group: "cloudtrail", check, ok: false, note: (error as Error).message, fix }];
  }
}
