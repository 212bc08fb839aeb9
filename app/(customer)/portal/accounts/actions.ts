"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { registerCustomerAccount, removeCustomerAccount, setKeyAccess } from "@/lib/customers/customer-accounts";
import { text } from "@/app/form-values";

// Only the customer's owners change how it pulls, and only for their own customer: the scope is
// the signed-in owner's customer, never anything from the request.

const ownerAction = (fn: (user: Awaited<ReturnType<typeof requireCustomerOwner>>) => Promise<string>) =>
  guardedAction(requireCustomerOwner, fn, { path: "/portal", type: "layout" });

export async function registerAccountAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction((user) =>
    registerCustomerAccount({ actor: userActor(user), customerId: user.customerId, accountId: text(formData, "accountId") ?? "" }),
  );
}

/** The registration id is bound on the page; the use case matches it within the owner's customer only. */
export async function removeAccountAction(customerAccountId: string) {
  return ownerAction((user) => removeCustomerAccount({ actor: userActor(user), customerId: user.customerId, customerAccountId }));
}

export async function setKeyAccessAction(enabled: boolean) {
  return ownerAction((user) => setKeyAccess({ actor: userActor(user), customerId: user.customerId, enabled }));
}
