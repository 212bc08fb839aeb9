import type { BulkItemStatus, BulkOperationKind, BulkOperationStatus } from "@/lib/generated/prisma/enums";

// Words and limits shared by the bulk pages, the form in the browser and the use cases, with the
// names of the kinds and statuses they word (the schema's, for code outside lib to name them too).

export type { BulkItemStatus, BulkOperationKind, BulkOperationStatus };

/** A CSV upload's size cap. */
export const MAX_CSV_BYTES = 10_000_000;
/** The bulk form's whole body: the CSV, the other fields and the multipart framing. */
export const MAX_BULK_FORM_BYTES = MAX_CSV_BYTES + 200_000;
export const CSV_TOO_LARGE = "The file is larger than 10 MB; split it";
/** CSV rows, or pasted entitlement ids, in one bulk action. */
export const MAX_TARGETS = 5_000;

export const BULK_KINDS: Record<BulkOperationKind, { label: string; verb: string }> = {
  EXTEND: { label: "Extend", verb: "extend" },
  REVOKE: { label: "Revoke", verb: "revoke" },
  REPROVISION: { label: "Re-provision", verb: "re-provision" },
};

export const OPERATION_STATUS_LABELS: Record<BulkOperationStatus, string> = {
  QUEUED: "waiting",
  RUNNING: "running",
  DONE: "done",
  CANCELLED: "cancelled",
};

export const ITEM_STATUS_LABELS: Record<BulkItemStatus, string> = {
  PENDING: "waiting",
  OK: "done",
  SKIPPED: "skipped",
  FAILED: "failed",
};
