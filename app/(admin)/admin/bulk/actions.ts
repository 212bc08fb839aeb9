"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { CSV_TOO_LARGE, MAX_CSV_BYTES } from "@/lib/bulk/bulk-terms";
import { cancelBulkOperation } from "@/lib/bulk/cancel-bulk-operation";
import { createBulkOperation } from "@/lib/bulk/create-bulk-operation";
import { readBoundedText } from "@/lib/http/bounded-body";
import { text, utcDate } from "@/app/form-values";

/** The uploaded file's text; a file input left empty still sends an empty, nameless file. */
async function uploadedText(formData: FormData, name: string) {
  const file = formData.get(name);
  return file instanceof File && file.size > 0 ? readBoundedText(file, MAX_CSV_BYTES, CSV_TOO_LARGE) : undefined;
}

export async function createBulkOperationAction(_prev: ActionResult<{ id: string }> | null, formData: FormData) {
  const result = await runAction(async () => {
    const user = await requireVendorWriter();
    const { operation } = await createBulkOperation({
      actor: userActor(user),
      input: {
        kind: text(formData, "kind") ?? "",
        expiresAt: utcDate(formData, "expiresAt"),
        reason: text(formData, "reason"),
        ids: text(formData, "ids"),
        csv: await uploadedText(formData, "csv"),
      },
    });
    // The job engine carries on from here; the operation's page follows its progress.
    return { data: { id: operation.id } };
  });
  if (!result.ok || !result.data) return result;
  revalidatePath("/admin", "layout");
  redirect(`/admin/bulk/${result.data.id}`);
}

export async function cancelBulkOperationAction(operationId: string): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const out = await cancelBulkOperation({ actor: userActor(user), operationId });
    return out.changed ? `Stopped: ${out.skipped.toLocaleString("en-US")} items skipped.` : "This bulk action had already ended.";
  });
}
