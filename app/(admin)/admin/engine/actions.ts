"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { runDriftAudit } from "@/lib/health/run-drift-audit";
import { retryDeadLetterAs } from "@/lib/health/engine-status";
import { text } from "@/app/form-values";

const enginePage = { path: "/admin/engine" };

export async function runDriftAuditAction(): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async (user) => {
      const { findings, repaired } = await runDriftAudit(userActor(user));
      return findings.length === 0 ? "No drift: AWS matches Pullgate." : `${findings.length} findings, ${repaired} repairs.`;
    },
    enginePage,
  );
}

/** The dead-letter table's Retry buttons submit the job's id. */
export async function retryDeadLetterAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async (user) => {
      await retryDeadLetterAs(userActor(user), text(formData, "id") ?? "");
      return "Retry queued: the job is back in its queue.";
    },
    enginePage,
  );
}
