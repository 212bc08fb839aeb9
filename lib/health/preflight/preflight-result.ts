// One line of the go-live check: what was checked, whether it passed, and what to do if not.
import { isAwsError } from "@/lib/aws/aws-error";

export type PreflightGroup = "portal permissions" | "customer policies" | "repository marks" | "quotas" | "cloudtrail" | "registry role";

export type PreflightResult = {
  group: PreflightGroup;
  check: string;
  ok: boolean;
  /** A passing check's caveat (a quota past 80 %), or why a check failed. */
  note?: string;
  /** What the operator runs or changes to make a failed check pass. */
  fix?: string;
};

/**
 * The fix for a check that could not be made: `whenDenied` when AWS refused the call, else the
 * call never reached AWS's answer (credentials, region, endpoint).
 */
export function fixFor(error: unknown, whenDenied: string): string {
  if (isAwsError(error, "AccessDenied", "AccessDeniedException")) return whenDenied;
  return "check the administrator's AWS credentials, AWS_REGION and PULLGATE_AWS_ENDPOINT, then run again";
}
