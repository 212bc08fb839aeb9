// Check 4: room for customer users under IAM's quota, which cannot be raised.
import { userQuotaUsage } from "@/lib/aws/iam";
import { quotaLevel } from "../iam-user-quota";
import { fixFor, type PreflightResult } from "./preflight-result";

export async function checkIamQuotas(): Promise<PreflightResult[]> {
  const group = "quotas" as const;
  const check = "IAM users against the account's quota";
  try {
    const { users, quota } = await userQuotaUsage();
    const usage = `${users} of ${quota}`;
    const level = quotaLevel(users, quota);
    if (level === "full") return [{ group, check, ok: false, note: `${usage}: no customer can get a user`, fix: "delete IAM users the account no longer needs, or run Pullgate in an account of its own" }];
    return [{ group, check, ok: true, note: level === "warning" ? `${usage}: warning, past 80 %` : usage }];
  } catch (error) {
    return [{ group, check, ok: false, note: (error as Error).message, fix: fixFor(error, "run the preflight with an administrator's credentials (iam:GetAccountSummary)") }];
  }
}
