import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { instant } from "@/lib/entitlements/grant-input";
import { AppError } from "@/lib/errors";
import { BulkOperationKind } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import type { OperationParams } from "./operation-params";
import { enqueueBulkOperation } from "./process-bulk-operation";
import { parseIdList, resolveCsv, resolveIds } from "./targets";

const chooseKind = { error: "Choose what to do: extend, revoke or re-provision" };

const createInputSchema = z
  .object({
    kind: z.string(chooseKind).pipe(z.enum(BulkOperationKind, chooseKind)),
    expiresAt: instant("The new expiry").optional(),
    reason: z.string().trim().min(1).max(200, "The reason is at most 200 characters").optional(),
    // Entitlement ids as pasted or linked, or the text of a CSV of customers.
    ids: z.string().optional(),
    csv: z.string().optional(),
  })
  .strict();

export type CreateBulkInput = z.input<typeof createInputSchema>;

// Rows per insert: eight columns each stays far below PostgreSQL's limit on bind parameters.
const INSERT_BATCH = 1000;

/**
 * Records a bulk action and its items, resolved now, and hands it to the job engine, which applies
 * the items from then on whatever happens to the admin's browser. Malformed input is refused
 * whole; an input line that resolves to nothing becomes a failed item and the rest go ahead.
 */
export async function createBulkOperation({ actor, input }: { actor: Actor; input: CreateBulkInput }) {
  const { kind, expiresAt, reason, ids, csv } = createInputSchema.parse(input);
  const idList = parseIdList(ids);
  if (idList.length > 0 && csv) throw new AppError("INVALID_INPUT", "Paste entitlement ids or upload a CSV, not both");
  if (idList.length === 0 && !csv) throw new AppError("INVALID_INPUT", "Paste entitlement ids or upload a CSV of customers");
  if (expiresAt && expiresAt <= new Date()) throw new AppError("INVALID_INPUT", "The new expiry must be in the future");
  const extendTo = kind === "EXTEND" ? (expiresAt ?? null) : null;
  if (kind === "EXTEND" && !extendTo && !csv) throw new AppError("INVALID_INPUT", "Choose the new expiry date");

  const items = csv ? await resolveCsv(kind, csv, extendTo) : await resolveIds(idList, extendTo);
  const params: OperationParams = kind === "EXTEND" ? { expiresAt: extendTo?.toISOString() } : kind === "REVOKE" ? { reason } : {};
  const now = new Date();
  const operation = await db.$transaction(
    async (tx) => {
      const created = await tx.bulkOperation.create({
        data: {
          kind,
          params,
          createdByType: actor.type,
          createdById: actor.type === "SYSTEM" ? null : actor.id,
          createdByLabel: actor.label,
        },
      });
      for (let start = 0; start < items.length; start += INSERT_BATCH) {
        await tx.bulkOperationItem.createMany({
          data: items.slice(start, start + INSERT_BATCH).map((item, i) => ({
            ...item,
            operationId: created.id,
            position: start + i + 1,
            processedAt: item.status === "PENDING" ? null : now,
          })),
        });
      }
      await recordAuditEvent(tx, {
        actor,
        action: "bulk.created",
        data: {
          operationId: created.id,
          kind,
          ...params,
          source: csv ? "csv" : "ids",
          items: items.length,
          unresolved: items.filter((i) => i.status === "FAILED").length,
        },
      });
      return created;
    },
    { timeout: 60_000 },
  );
  // Safe in the database either way: the minute sweep queues any operation left unfinished.
  await enqueueBulkOperation(operation.id).catch((error: unknown) =>
    log().error({ err: error, operationId: operation.id }, "could not queue the bulk action; the sweep will pick it up"),
  );
  return { operation, items: items.length };
}
