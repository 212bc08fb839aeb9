"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { cancelBulkOperation } from "@/lib/bulk/cancel-bulk-operation";

export async function cancelBulkOperationAction(operationId: string): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const out = await cancelBulkOperation({ actor: userActor(user), operationId });
    return out.changed ? `Stopped: ${out.skipped.toLocaleString("en-US")} items skipped.` : "This bulk action had already ended.";
  });
}
