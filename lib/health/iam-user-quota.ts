import { userQuotaUsage } from "@/lib/aws/iam";
import { memoFor } from "@/lib/cache/memo-for";

// IAM counts users slowly and the figure moves with purchases, not page views.
const TTL_MS = 60_000;
/** Warned from here on: the quota cannot be raised, so the vendor needs time to act. */
export const USER_QUOTA_WARNING_SHARE = 0.8;

export type IamUserQuota =
  | { users: number; quota: number; level: "ok" | "warning" | "full" }
  | { error: string };

/** Where the account stands against IAM's user quota: fine, warned at 80 %, or full. */
export function quotaLevel(users: number, quota: number): "ok" | "warning" | "full" {
  if (users >= quota) return "full";
  return users >= quota * USER_QUOTA_WARNING_SHARE ? "warning" : "ok";
}

/** The Engine page's IAM users line; an AWS failure is shown, not thrown. */
export function iamUserQuota(now = Date.now()): Promise<IamUserQuota> {
  return memoFor("iam-user-quota", TTL_MS, readQuota, now);
}

async function readQuota(): Promise<IamUserQuota> {
  try {
    const { users, quota } = await userQuotaUsage();
    return { users, quota, level: quotaLevel(users, quota) };
  } catch (error) {
    return { error: String((error as Error).message ?? error) };
  }
}
