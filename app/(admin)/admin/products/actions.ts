"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { attachRepository } from "@/lib/products/attach-repository";
import { createProduct } from "@/lib/products/create-product";
import { text } from "@/app/form-values";

export async function createProductAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    const product = await createProduct({
      actor: userActor(user),
      input: {
        name: text(formData, "name") ?? "",
        slug: text(formData, "slug") ?? "",
        description: text(formData, "description"),
        gracePeriodDays: text(formData, "gracePeriodDays") ?? 0,
      },
    });
    return { message: `Created ${product.name}.` };
  });
  revalidatePath("/admin", "layout");
  return result;
}

export async function attachRepositoryAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async () => {
    const user = await requireVendorWriter();
    const repository = await attachRepository({
      actor: userActor(user),
      input: { productId, region: text(formData, "region") ?? "", name: text(formData, "name") ?? "" },
    });
    return { message: `Attached ${repository.name}.` };
  });
  revalidatePath("/admin", "layout");
  return result;
}
