"use server";

import type { ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor, type SessionUser } from "@/lib/auth/session";
import { rotateAccessKey } from "@/lib/credentials/rotate-access-key";
import { convertTrial } from "@/lib/entitlements/convert-trial";
import { extendEntitlement } from "@/lib/entitlements/extend-entitlement";
import { reprovisionEntitlement } from "@/lib/entitlements/reprovision-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { reasonInputSchema } from "@/lib/entitlements/reason-input";
import { resumeEntitlement, suspendEntitlement } from "@/lib/entitlements/suspension";
import { text, utcDate } from "@/app/form-values";
import { assertIdShaped } from "@/lib/validation/strict-input";

// Ids are bound on the page, but a client can send any: one no record could have is not found, before any query.
const writerAction = (fn: (user: SessionUser) => Promise<string>, ...ids: string[]) =>
  guardedAction(requireVendorWriter, (user) => {
    for (const id of ids) assertIdShaped(id);
    return fn(user);
  });

// The form's reason is read as the API's is: one line or several, at most 500 characters.
const reasonOf = (formData: FormData) => reasonInputSchema.parse({ reason: text(formData, "reason") }).reason;

export async function revokeEntitlementAction(entitlementId: string, _prev: ActionResult | null, formData: FormData) {
  return writerAction(async (user) => {
    const out = await revokeEntitlement({ actor: userActor(user), entitlementId, reason: reasonOf(formData) });
    return out.changed ? "Revoked. Access is being removed from AWS." : "This entitlement had already ended.";
  }, entitlementId);
}

export async function suspendEntitlementAction(entitlementId: string, _prev: ActionResult | null, formData: FormData) {
  return writerAction(async (user) => {
    const out = await suspendEntitlement({ actor: userActor(user), entitlementId, reason: reasonOf(formData) });
    return out.changed ? "Suspended. Access is being removed; the customer keeps its IAM user and key." : "Only an active entitlement can be suspended.";
  }, entitlementId);
}

export async function resumeEntitlementAction(entitlementId: string) {
  return writerAction(async (user) => {
    const out = await resumeEntitlement({ actor: userActor(user), entitlementId });
    return out.changed ? "Resumed. Access is being restored with the customer's existing key." : "This entitlement is not suspended.";
  }, entitlementId);
}

export async function extendEntitlementAction(entitlementId: string, _prev: ActionResult | null, formData: FormData) {
  return writerAction(async (user) => {
    const out = await extendEntitlement({ actor: userActor(user), entitlementId, input: { expiresAt: utcDate(formData, "expiresAt") } });
    return out.changed ? "Extended." : "The entitlement already expires then.";
  }, entitlementId);
}

export async function convertTrialAction(entitlementId: string) {
  return writerAction(async (user) => {
    const converted = await convertTrial({ actor: userActor(user), entitlementId, input: {} });
    return `Converted to a paid entitlement until ${converted.expiresAt.toISOString().slice(0, 10)}; access continues unchanged.`;
  }, entitlementId);
}

export async function reprovisionEntitlementAction(entitlementId: string) {
  return writerAction(async (user) => {
    const out = await reprovisionEntitlement({ actor: userActor(user), entitlementId });
    return out.converged ? "AWS checked and converged." : `AWS did not converge yet (${out.error}); it is retried automatically.`;
  }, entitlementId);
}

export async function rotateAccessKeyAction(customerId: string) {
  return writerAction(async (user) => {
    await rotateAccessKey({ actor: userActor(user), customerId, overlap: false });
    return "The old key is deleted and a new one issued; the customer sees the new secret once on its download page.";
  }, customerId);
}
