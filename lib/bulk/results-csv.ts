import { csvRow } from "@/lib/csv/write-csv";
import { db } from "@/lib/db";
import { withEntitlements } from "./bulk-operation-views";

const HEADER = ["position", "input", "entitlement id", "customer", "product", "status", "message", "processed at"];
const BATCH_SIZE = 1000;

export const bulkResultsFilename = (operationId: string) => `pullgate-bulk-${operationId}.csv`;

/** Every item of the operation with its outcome, in order, as CSV; null if there is no such operation. */
export async function bulkResultsCsv(operationId: string): Promise<string | null> {
  if (!(await db.bulkOperation.findUnique({ where: { id: operationId }, select: { id: true } }))) return null;
  const lines = [csvRow(HEADER)];
  for (let after = 0; ; ) {
    const batch = await db.bulkOperationItem.findMany({
      where: { operationId, position: { gt: after } },
      orderBy: { position: "asc" },
      take: BATCH_SIZE,
    });
    for (const item of await withEntitlements(batch)) {
      lines.push(
        csvRow([
          item.position,
          item.input,
          item.entitlementId,
          item.entitlement?.customerName,
          item.entitlement?.productName,
          item.status,
          item.message,
          item.processedAt?.toISOString(),
        ]),
      );
    }
    if (batch.length < BATCH_SIZE) return lines.join("");
    after = batch.at(-1)!.position;
  }
}
