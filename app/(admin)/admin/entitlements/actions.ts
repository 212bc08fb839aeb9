"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { text, utcDate } from "@/app/form-values";

// The use case's messages name API fields; the form shows its own labels instead.
const LABELS: [RegExp, string][] = [
  [/\bcustomerEmail\b/g, "Customer email"],
  [/\bcustomerName\b/g, "Customer name"],
  [/\bproductSlug\b/g, "Product"],
  [/\bexternalRef\b/g, "External reference"],
  [/\bexpiresAt must be an ISO 8601 date.*$/g, "Choose an expiry date"],
  [/\bexpiresAt\b/g, "Expiry date"],
];

const relabel = (message: string) => LABELS.reduce((m, [pattern, label]) => m.replace(pattern, label), message);

function forPeople<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) return result;
  const fieldErrors = result.fieldErrors && Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k, relabel(v)]));
  return { ok: false, error: result.error.split("; ").map(relabel).join("; "), fieldErrors };
}

export async function grantEntitlementAction(_prev: ActionResult<{ id: string }> | null, formData: FormData) {
  const result = await runAction(async () => {
    const user = await requireVendorWriter();
    const out = await grantEntitlement({
      actor: userActor(user),
      source: "ADMIN",
      input: {
        customerEmail: text(formData, "customerEmail") ?? "",
        customerName: text(formData, "customerName"),
        productSlug: text(formData, "productSlug") ?? "",
        expiresAt: utcDate(formData, "expiresAt"),
        externalRef: text(formData, "externalRef"),
        kind: text(formData, "kind") === "TRIAL" ? "TRIAL" : "STANDARD",
      },
    });
    // Provisioning continues in the job engine; the detail page refreshes until it settles.
    return { data: { id: out.entitlement.id } };
  });
  if (!result.ok || !result.data) return forPeople(result);
  revalidatePath("/admin", "layout");
  redirect(`/admin/entitlements/${result.data.id}`);
}
