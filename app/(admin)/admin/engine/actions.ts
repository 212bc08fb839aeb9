"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { auditDrift } from "@/lib/jobs/audit-drift";

export async function runDriftAuditAction(): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    const { findings, repaired } = await auditDrift(userActor(user));
    return { message: findings.length === 0 ? "No drift: AWS matches Pullgate." : `${findings.length} findings, ${repaired} repairs.` };
  });
  revalidatePath("/admin/engine");
  return result;
}
