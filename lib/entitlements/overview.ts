import { db } from "@/lib/db";
import { activeWhere, expiringWithinWhere } from "./list-entitlements";

const DAY_MS = 86_400_000;
const WEEKS = 12;
// Weekly series move slowly; one computation a minute serves every dashboard view in between.
const SERIES_TTL_MS = 60_000;

export type WeekCount = { week: Date; count: number };

/** The overview's counts. Stored columns only (no per-row rules), so each is one indexed count. */
export async function overviewCounts(now = new Date()) {
  const [active, provisioning, failed, expiring7, expiring30, expired] = await Promise.all([
    db.entitlement.count({ where: activeWhere(now) }),
    db.entitlement.count({ where: { status: "ACTIVE", startsAt: { lte: now }, syncStatus: "PENDING" } }),
    db.entitlement.count({ where: { syncStatus: "FAILED" } }),
    db.entitlement.count({ where: expiringWithinWhere(7, now) }),
    db.entitlement.count({ where: expiringWithinWhere(30, now) }),
    db.entitlement.count({ where: { status: "EXPIRED" } }),
  ]);
  return { active, provisioning, failed, expiring7, expiring30, expired };
}

function mondayUtc(date: Date) {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
}

/**
 * Entitlements granting access at the end of each of the last 12 weeks, and those due to expire
 * in each of the next 12: two aggregate scans, not one per week.
 */
async function computeSeries(now: Date) {
  const thisWeek = mondayUtc(now);
  const from = new Date(thisWeek.getTime() - (WEEKS - 1) * 7 * DAY_MS);
  const until = new Date(thisWeek.getTime() + WEEKS * 7 * DAY_MS);
  const [before, changes, upcoming] = await Promise.all([
    db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Entitlement"
      WHERE "startsAt" < ${from} AND LEAST("expiresAt", COALESCE("endedAt", 'infinity')) >= ${from}`,
    db.$queryRaw<{ week: Date; delta: bigint }[]>`
      SELECT week, sum(delta) AS delta FROM (
        SELECT date_trunc('week', "startsAt") AS week, 1 AS delta FROM "Entitlement" WHERE "startsAt" >= ${from} AND "startsAt" <= ${now}
        UNION ALL
        SELECT date_trunc('week', LEAST("expiresAt", COALESCE("endedAt", 'infinity'))), -1 FROM "Entitlement"
        WHERE LEAST("expiresAt", COALESCE("endedAt", 'infinity')) >= ${from} AND LEAST("expiresAt", COALESCE("endedAt", 'infinity')) <= ${now}
      ) moves GROUP BY week`,
    db.$queryRaw<{ week: Date; n: bigint }[]>`
      SELECT date_trunc('week', "expiresAt") AS week, count(*) AS n FROM "Entitlement"
      WHERE status = 'ACTIVE' AND "expiresAt" > ${now} AND "expiresAt" < ${until} GROUP BY week`,
  ]);
  const weeks = (start: Date) => Array.from({ length: WEEKS }, (_, i) => new Date(start.getTime() + i * 7 * DAY_MS));
  const delta = new Map(changes.map((c) => [c.week.getTime(), Number(c.delta)]));
  let running = Number(before[0]?.n ?? 0);
  const active: WeekCount[] = weeks(from).map((week) => {
    running += delta.get(week.getTime()) ?? 0;
    return { week, count: running };
  });
  const due = new Map(upcoming.map((u) => [u.week.getTime(), Number(u.n)]));
  const expiring: WeekCount[] = weeks(thisWeek).map((week) => ({ week, count: due.get(week.getTime()) ?? 0 }));
  return { active, expiring };
}

const cache = globalThis as unknown as { pullgateSeries?: { at: number; value: Promise<Awaited<ReturnType<typeof computeSeries>>> } };

export function overviewSeries(now = new Date()) {
  const hit = cache.pullgateSeries;
  if (hit && Math.abs(now.getTime() - hit.at) < SERIES_TTL_MS) return hit.value;
  const value = computeSeries(now);
  cache.pullgateSeries = { at: now.getTime(), value };
  value.catch(() => (cache.pullgateSeries = undefined));
  return value;
}
