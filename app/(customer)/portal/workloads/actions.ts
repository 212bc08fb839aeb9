"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireCustomerOwner, userActor } from "@/lib/auth/session";
import { assertIdShaped } from "@/lib/validation/strict-input";
import { registerWorkloadIdentity, removeWorkloadIdentity } from "@/lib/workload-identities/workload-identities";
import { text } from "@/app/form-values";

// Only the customer's owners choose which workloads pull as the customer, and only for their own
// customer: the scope is always the signed-in owner's customer, never anything from the request.
// Others are refused before input is read.

const PAGE = "/portal/workloads";

export async function registerWorkloadAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return guardedAction(
    requireCustomerOwner,
    (user) =>
      registerWorkloadIdentity({
        actor: userActor(user),
        customerId: user.customerId,
        input: {
          kind: text(formData, "kind") ?? "",
          name: text(formData, "name") ?? "",
          issuer: text(formData, "issuer"),
          audience: text(formData, "audience"),
          subject: text(formData, "subject") ?? "",
        },
      }),
    { path: PAGE },
  );
}

/** The workload id is bound on the page; the use case matches it within the owner's customer only. */
export async function removeWorkloadAction(id: string) {
  return guardedAction(
    requireCustomerOwner,
    async (user) => {
      assertIdShaped(id, "trusted workload");
      return removeWorkloadIdentity({ actor: userActor(user), customerId: user.customerId, id });
    },
    { path: PAGE },
  );
}
