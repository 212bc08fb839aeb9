"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { attachRepository } from "@/lib/products/attach-repository";
import { createProduct } from "@/lib/products/create-product";
import { setRenewalUrl } from "@/lib/products/set-renewal-url";
import { text } from "@/app/form-values";

export async function createProductAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const product = await createProduct({
      actor: userActor(user),
      input: {
        name: text(formData, "name") ?? "",
        slug: text(formData, "slug") ?? "",
        description: text(formData, "description"),
        gracePeriodDays: text(formData, "gracePeriodDays") ?? 0,
        renewalUrl: text(formData, "renewalUrl"),
      },
    });
    return `Created ${product.name}.`;
  });
}

export async function setRenewalUrlAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const url = await setRenewalUrl({ actor: userActor(user), productId, renewalUrl: text(formData, "renewalUrl") });
    return url ? "Renewal link saved." : "Renewal link removed.";
  });
}

export async function attachRepositoryAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const repository = await attachRepository({
      actor: userActor(user),
      input: { productId, region: text(formData, "region") ?? "", name: text(formData, "name") ?? "" },
    });
    return `Attached ${repository.name}.`;
  });
}
