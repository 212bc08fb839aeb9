"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { attachRepository } from "@/lib/products/attach-repository";
import { createProduct } from "@/lib/products/create-product";
import { setProductAccessModes } from "@/lib/products/set-access-modes";
import { setProductTerms } from "@/lib/products/set-product-terms";
import { addStripePrice, removeStripePrice } from "@/lib/products/stripe-prices";
import { text } from "@/app/form-values";
import { AppError } from "@/lib/errors";
import { assertIdShaped, textProblem } from "@/lib/validation/strict-input";

export async function createProductAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    const product = await createProduct({
      actor: userActor(user),
      input: {
        name: text(formData, "name") ?? "",
        slug: text(formData, "slug") ?? "",
        description: text(formData, "description"),
        ...termsFrom(formData),
      },
    });
    return `Created ${product.name}.`;
  });
}

const termsFrom = (formData: FormData) => ({
  gracePeriodDays: text(formData, "gracePeriodDays"),
  trialDays: text(formData, "trialDays"),
  defaultTermDays: text(formData, "defaultTermDays"),
  renewalUrl: text(formData, "renewalUrl"),
});

export async function setProductTermsAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(productId, "product");
    await setProductTerms({ actor: userActor(user), productId, input: termsFrom(formData) });
    return "Terms saved.";
  });
}

/** Every value a checkbox group sent under `name`, each read as strictly as `text` reads one. */
function checked(formData: FormData, name: string): string[] {
  return formData.getAll(name).map((value) => {
    const problem = typeof value === "string" ? textProblem(value, { max: 200, multiline: false }) : "is not text";
    if (problem) throw new AppError("INVALID_INPUT", `This field ${problem}`, [{ path: name, message: `This field ${problem}` }]);
    return (value as string).trim();
  });
}

export async function setAccessModesAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(productId, "product");
    await setProductAccessModes({
      actor: userActor(user),
      productId,
      input: { modes: checked(formData, "modes"), defaultMode: text(formData, "defaultMode") ?? "" },
    });
    return "Access modes saved.";
  });
}

export async function addStripePriceAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(productId, "product");
    const priceId = text(formData, "priceId") ?? "";
    await addStripePrice({ actor: userActor(user), productId, priceId });
    return `Purchases of ${priceId} now grant this product.`;
  });
}

export async function removeStripePriceAction(productId: string, priceId: string): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(productId, "product");
    assertIdShaped(priceId, "price");
    await removeStripePrice({ actor: userActor(user), productId, priceId });
    return `${priceId} removed.`;
  });
}

export async function attachRepositoryAction(productId: string, _prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(requireVendorWriter, async (user) => {
    assertIdShaped(productId, "product");
    const repository = await attachRepository({
      actor: userActor(user),
      input: { productId, accountId: text(formData, "account"), region: text(formData, "region") ?? "", name: text(formData, "name") ?? "" },
    });
    return `Attached ${repository.name}.`;
  });
}
