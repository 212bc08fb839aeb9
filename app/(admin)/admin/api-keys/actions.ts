"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { text, utcDate } from "@/app/form-values";
import { assertIdShaped } from "@/lib/validation/strict-input";

export type NewApiKey = { label: string; key: string };

export async function createApiKeyAction(_prev: ActionResult<NewApiKey> | null, formData: FormData): Promise<ActionResult<NewApiKey>> {
  const result = await runAction(async () => {
    const user = await requireVendorWriter();
    const created = await createApiKey({
      actor: userActor(user),
      input: {
        label: text(formData, "label") ?? "",
        scope: text(formData, "scope"),
        expiresAt: utcDate(formData, "expiresAt"),
      },
    });
    return { data: { label: created.label, key: created.key } };
  });
  revalidatePath("/admin/api-keys");
  return result;
}

export async function revokeApiKeyAction(id: string): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async (user) => {
      assertIdShaped(id, "API key");
      await revokeApiKey({ actor: userActor(user), id });
      return "Revoked.";
    },
    { path: "/admin/api-keys" },
  );
}
