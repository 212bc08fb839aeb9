"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { auditDrift } from "@/lib/jobs/audit-drift";
import { retryDeadLetterAs } from "@/lib/jobs/engine-status";
import { text } from "@/app/form-values";

export async function runDriftAuditAction(): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    const { findings, repaired } = await auditDrift(userActor(user));
    return { message: findings.length === 0 ? "No drift: AWS matches Pullgate." : `${findings.length} findings, ${repaired} repairs.` };
  });
  revalidatePath("/admin/engine");
  return result;
}

/** The dead-letter table's Retry buttons submit the job's id. */
export async function retryDeadLetterAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    await retryDeadLetterAs(userActor(user), text(formData, "id") ?? "");
    return { message: "Retry queued: the job is back in its queue." };
  });
  revalidatePath("/admin/engine");
  return result;
}
