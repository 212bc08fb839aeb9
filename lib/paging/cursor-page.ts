import { z } from "zod";

// Every v1 list pages the same way: oldest first by (createdAt, id), which never changes for a
// row, so a cursor taken from the last row of a page resumes exactly after it — rows added
// meanwhile land at the end instead of shifting pages (no duplicates, no gaps).

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;

type SortKey = { createdAt: Date; id: string };

const sortKeySchema = z.tuple([z.iso.datetime(), z.string().min(1)]);

export function encodeCursor(row: SortKey): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

function decodeCursor(cursor: string): SortKey | null {
  try {
    const parsed = sortKeySchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** `?limit=` and `?cursor=`; a cursor this API did not hand out is refused (422). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z
    .string()
    .optional()
    .transform((cursor, ctx) => {
      if (cursor === undefined) return undefined;
      const key = decodeCursor(cursor);
      if (!key) ctx.addIssue({ code: "custom", message: "cursor is not one this API returned; pass nextCursor back unchanged" });
      return key ?? undefined;
    }),
});

export type PageQuery = z.infer<typeof pageQuerySchema>;

type AfterCursor = { OR?: ({ createdAt: { gt: Date } } | { createdAt: Date; id: { gt: string } })[] };

/** What a Prisma `findMany` needs for one page: the filter's rows after the cursor, one extra to tell whether more follow. */
export type PageWindow<Filter> = {
  where: { AND: [AfterCursor, Filter] };
  orderBy: [{ createdAt: "asc" }, { id: "asc" }];
  take: number;
};

/** One page `{ data, nextCursor }` of the rows matching `filter`: `fetch` reads them through the window, `present` shapes each. */
export async function cursorPage<Filter, Row extends SortKey, Item>(
  { limit, cursor }: PageQuery,
  filter: Filter,
  fetch: (window: PageWindow<Filter>) => Promise<Row[]>,
  present: (row: Row) => Item,
) {
  const after: AfterCursor = cursor ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] } : {};
  const rows = await fetch({ where: { AND: [after, filter] }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The query string as an object, for the zod schemas of list endpoints. */
export const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
