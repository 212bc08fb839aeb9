import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** A trail in a region where images are pulled delivers files every few minutes; a day of none is a fault. */
export const QUIET_TRAIL_HOURS = 24;

export type TrailStatus = { configured: false } | { configured: true; lastFileAt: Date | null; quiet: boolean };

/**
 * Whether the configured CloudTrail trail still delivers: the newest log file Pullgate read, and
 * `quiet` when none came in the last day (a trail stopped, a wrong bucket, prefix or organization
 * id, or a key the portal may not decrypt with), since pull history then silently stops.
 */
export async function trailStatus(now = new Date()): Promise<TrailStatus> {
  if (!env().PULLGATE_CLOUDTRAIL_BUCKET) return { configured: false };
  const newest = await db.trailLogFile.findFirst({ orderBy: { readAt: "desc" }, select: { readAt: true } });
  const lastFileAt = newest?.readAt ?? null;
  return { configured: true, lastFileAt, quiet: !lastFileAt || now.getTime() - lastFileAt.getTime() > QUIET_TRAIL_HOURS * 3_600_000 };
}
