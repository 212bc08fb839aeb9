import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/** The longest window any counter uses: the sweep keeps windows this recent. */
const LONGEST_WINDOW_MS = 15 * 60_000;

/** The start of the fixed window of `windowMs` that `now` falls in. */
export const windowStartOf = (now: Date, windowMs: number) => new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/**
 * Counts one event under each key in the current fixed window, in one atomic upsert, so parallel
 * requests and every app instance (and the embedded database's single session) count alike
 * without locks. Returns each key's count in this window, this event included. Keys carry their
 * own namespace ("api:<id>", "sign-in:…"): one table holds every limit's counters.
 */
export async function countInWindow(keys: string[], windowMs: number, now = new Date()): Promise<Map<string, number>> {
  if (windowMs > LONGEST_WINDOW_MS) throw new Error(`A window of ${windowMs} ms outlives the sweep's ${LONGEST_WINDOW_MS} ms`);
  const windowStart = windowStartOf(now, windowMs);
  const rows = await db.$queryRaw<{ key: string; count: number }[]>`
    INSERT INTO "RateWindow" (key, "windowStart", count)
    VALUES ${Prisma.join(keys.map((key) => Prisma.sql`(${key}, ${windowStart}, 1)`))}
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateWindow".count + 1
    RETURNING key, count`;
  return new Map(rows.map((row) => [row.key, row.count]));
}

/** Drops counters of windows long past (the minute sweep calls this). */
export async function deletePastWindows(now = new Date()) {
  const { count } = await db.rateWindow.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 2 * LONGEST_WINDOW_MS) } } });
  return count;
}
