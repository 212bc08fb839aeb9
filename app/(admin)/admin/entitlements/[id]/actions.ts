"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { retryProvisioning } from "@/lib/entitlements/retry-provisioning";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { text } from "@/app/form-values";

export async function revokeEntitlementAction(entitlementId: string, _prev: ActionResult | null, formData: FormData) {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    const out = await revokeEntitlement({ actor: userActor(user), entitlementId, reason: text(formData, "reason") });
    return { message: out.changed ? "Revoked. Access is being removed from AWS." : "This entitlement had already ended." };
  });
  revalidatePath("/admin", "layout");
  return result;
}

export async function retryProvisioningAction(entitlementId: string): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    await retryProvisioning({ actor: userActor(user), entitlementId });
    return { message: "Retry queued." };
  });
  revalidatePath("/admin", "layout");
  return result;
}
