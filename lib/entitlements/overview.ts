import { memoFor } from "@/lib/cache/memo-for";
import { db } from "@/lib/db";
import { expiringWithinCondition, statusCondition } from "./entitlement-filters";

const DAY_MS = 86_400_000;
const WEEKS = 12;
// Weekly series move slowly; one computation a minute serves every dashboard view in between.
const SERIES_TTL_MS = 60_000;
// Counts are a few seconds behind at most, so a room of admins refreshing costs one set of counts.
const COUNTS_TTL_MS = 5_000;

export type WeekCount = { week: Date; count: number };

/** The overview's counts, each with the same filter as the table its tile links to. */
export function overviewCounts(now = new Date()) {
  return memoFor("overview-counts", COUNTS_TTL_MS, () => countTiles(now), now.getTime());
}

/** One pass over the table for every tile. */
type Tile = "active" | "provisioning" | "failed" | "expiring7" | "expiring30" | "expired";

async function countTiles(now: Date): Promise<Record<Tile, number>> {
  const [row] = await db.$queryRaw<Record<Tile, bigint>[]>`
    SELECT
      count(*) FILTER (WHERE ${statusCondition("active", now)}) AS active,
      count(*) FILTER (WHERE ${statusCondition("pending", now)}) AS provisioning,
      count(*) FILTER (WHERE ${statusCondition("failed", now)}) AS failed,
      count(*) FILTER (WHERE ${expiringWithinCondition(7, now)}) AS expiring7,
      count(*) FILTER (WHERE ${expiringWithinCondition(30, now)}) AS expiring30,
      count(*) FILTER (WHERE ${statusCondition("expired", now)}) AS expired
    FROM "Entitlement" e`;
  return Object.fromEntries(Object.entries(row!).map(([tile, n]) => [tile, Number(n)])) as Record<Tile, number>;
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

export function overviewSeries(now = new Date()) {
  return memoFor("overview-series", SERIES_TTL_MS, () => computeSeries(now), now.getTime());
}
