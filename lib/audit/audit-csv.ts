import { csvRow } from "@/lib/csv/write-csv";
import { auditEventBatches, type AuditFilters, type ExportedAuditEvent } from "./list-audit-events";

const HEADER = ["id", "at", "actor type", "actor id", "actor label", "action", "customer id", "customer name", "entitlement id", "data"];

function eventRow(e: ExportedAuditEvent) {
  return csvRow([
    e.id.toString(),
    e.at.toISOString(),
    e.actorType,
    e.actorId,
    e.actorLabel,
    e.action,
    e.customer?.id,
    e.customer?.name,
    e.entitlementId,
    e.data === null ? null : JSON.stringify(e.data),
  ]);
}

/** `pullgate-audit-2026-11-22.csv`, dated by the UTC day of the export. */
export const auditCsvFilename = (now: Date) => `pullgate-audit-${now.toISOString().slice(0, 10)}.csv`;

/**
 * The matching events as CSV, newest first. A batch is read from the database only when the
 * client has taken the previous one, so an export of any size holds one batch in memory.
 */
export function auditCsvStream(filters: AuditFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = auditEventBatches(filters);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(eventRow).join("")));
    },
    async cancel() {
      await batches.return();
    },
  });
}
