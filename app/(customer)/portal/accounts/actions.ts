"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { registerCustomerAccount, removeCustomerAccount, setKeyAccess } from "@/lib/customers/customer-accounts";
import { proveCustomerAccount, startAccountProof } from "@/lib/customers/prove-customer-account";
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

/** A fresh nonce for one of the owner's own unproven accounts (the use case reads it within the customer). */
export async function startProofAction(customerAccountId: string) {
  return ownerAction((user) => startAccountProof({ actor: userActor(user), customerId: user.customerId, customerAccountId }));
}

/** The pasted proof is checked against the owner's customer's open nonces only. */
export async function proveAccountAction(_prev: ActionResult | null, formData: FormData) {
  return ownerAction((user) => proveCustomerAccount({ actor: userActor(user), customerId: user.customerId, proof: text(formData, "proof") ?? "" }));
}

export async function setKeyAccessAction(enabled: boolean) {
  return ownerAction((user) => setKeyAccess({ actor: userActor(user), customerId: user.customerId, enabled }));
}
