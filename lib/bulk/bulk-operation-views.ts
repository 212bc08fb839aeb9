import { z } from "zod";
import { db } from "@/lib/db";
import type { BulkOperation, BulkOperationItem } from "@/lib/generated/prisma/client";
import { BulkItemStatus } from "@/lib/generated/prisma/enums";
import { readOperationParams, type OperationParams } from "./operation-params";

// What the bulk pages and the results download read.

export type ItemCounts = { total: number; pending: number; ok: number; skipped: number; failed: number };

export type BulkOperationRow = BulkOperation & { counts: ItemCounts };

/** An item with the customer and product of its entitlement; null when it names none that exists. */
export type BulkItemRow = BulkOperationItem & { entitlement: { customerName: string; productName: string } | null };

export type BulkOperationView = {
  operation: Omit<BulkOperation, "params"> & { params: OperationParams };
  counts: ItemCounts;
  /** One page of items, in order. */
  items: BulkItemRow[];
  page: number;
  pageCount: number;
};

const noItems = (): ItemCounts => ({ total: 0, pending: 0, ok: 0, skipped: 0, failed: 0 });
const countKey = { PENDING: "pending", OK: "ok", SKIPPED: "skipped", FAILED: "failed" } as const satisfies Record<BulkItemStatus, keyof ItemCounts>;

/** Item counts per operation, from the (operation, status) index. */
async function countsFor(operationIds: string[]): Promise<Map<string, ItemCounts>> {
  const groups = await db.bulkOperationItem.groupBy({
    by: ["operationId", "status"],
    where: { operationId: { in: operationIds } },
    _count: { _all: true },
  });
  const counts = new Map(operationIds.map((id) => [id, noItems()]));
  for (const { operationId, status, _count } of groups) {
    const c = counts.get(operationId)!;
    c[countKey[status]] = _count._all;
    c.total += _count._all;
  }
  return counts;
}

export const itemCounts = async (operationId: string) => (await countsFor([operationId])).get(operationId)!;

const RECENT_OPERATIONS = 50;

/** The newest operations with their progress. */
export async function listBulkOperations(): Promise<BulkOperationRow[]> {
  const operations = await db.bulkOperation.findMany({ orderBy: { createdAt: "desc" }, take: RECENT_OPERATIONS });
  const counts = await countsFor(operations.map((o) => o.id));
  return operations.map((o) => ({ ...o, counts: counts.get(o.id)! }));
}

/** Each item with the customer and product of its entitlement, for people to read. */
export async function withEntitlements(items: BulkOperationItem[]): Promise<BulkItemRow[]> {
  const ids = [...new Set(items.flatMap((i) => (i.entitlementId ? [i.entitlementId] : [])))];
  const entitlements = await db.entitlement.findMany({
    where: { id: { in: ids } },
    select: { id: true, customer: { select: { name: true } }, product: { select: { name: true } } },
  });
  const byId = new Map(entitlements.map((e) => [e.id, { customerName: e.customer.name, productName: e.product.name }]));
  return items.map((item) => ({ ...item, entitlement: (item.entitlementId && byId.get(item.entitlementId)) || null }));
}

const ITEM_PAGE_SIZE = 100;

/** Query-string values are untrusted: anything unknown shows every item from the first page. */
export const itemQuerySchema = z.object({
  status: z.enum(BulkItemStatus).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type ItemQuery = z.infer<typeof itemQuerySchema>;

/** An operation with its counts and one page of its items in order; null if there is no such operation. */
export async function getBulkOperationView(id: string, query: ItemQuery): Promise<BulkOperationView | null> {
  const operation = await db.bulkOperation.findUnique({ where: { id } });
  if (!operation) return null;
  const counts = await itemCounts(id);
  const shown = query.status ? counts[countKey[query.status]] : counts.total;
  const pageCount = Math.max(1, Math.ceil(shown / ITEM_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const items = await db.bulkOperationItem.findMany({
    where: { operationId: id, ...(query.status ? { status: query.status } : {}) },
    orderBy: { position: "asc" },
    skip: (page - 1) * ITEM_PAGE_SIZE,
    take: ITEM_PAGE_SIZE,
  });
  return {
    operation: { ...operation, params: readOperationParams(operation.params) },
    counts,
    items: await withEntitlements(items),
    page,
    pageCount,
  };
}
