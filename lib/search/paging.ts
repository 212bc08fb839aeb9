import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// The admin's long lists page 50 rows at a time and stop counting at the last page that can be
// opened: past it, filters and search do the work, and an exact count of a large table would
// cost more than the page itself.

export const PAGE_SIZE = 50;
const MAX_PAGE = 200;
const COUNT_CAP = MAX_PAGE * PAGE_SIZE;

/** An untrusted `page` query value: anything odd is the first page, anything past the last openable one is that one. */
export const pageSchema = z.coerce.number().int().min(1).catch(1).transform((n) => Math.min(n, MAX_PAGE));

export const offsetOf = (page: number) => (page - 1) * PAGE_SIZE;

/** How many rows `matching` (a `SELECT 1 FROM ... WHERE ...`) finds, counted no further than the cap. */
export async function cappedCount(matching: Prisma.Sql) {
  const [counted] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (${matching} LIMIT ${COUNT_CAP + 1}) matching`;
  const n = Number(counted?.n ?? 0);
  const total = Math.min(n, COUNT_CAP);
  return { total, totalIsCapped: n > COUNT_CAP, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
