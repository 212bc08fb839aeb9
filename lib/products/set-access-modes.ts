import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { AccessMode } from "@/lib/generated/prisma/enums";
import { requestCustomerReconcile } from "@/lib/provisioning/request-reconcile";

/** How each mode reads to the vendor and its customers. */
export const accessModeLabels: Record<AccessMode, string> = {
  IAM_USER_KEY: "IAM user access key",
  OWN_ACCOUNT: "Customer's own AWS account",
  BROKERED_TOKEN: "Pull token (short-lived registry credentials)",
  OIDC_FEDERATION: "Workload identity federation (OIDC, no key)",
};

/**
 * How long a customer can still pull once its access ends, per mode: what the vendor promises
 * when a licence lapses (the products page shows it).
 */
export const accessModeRevocation: Record<AccessMode, string> = {
  IAM_USER_KEY: "The user leaves every repository policy, then it and its keys are deleted: pulls stop as soon as the reconcile has run (seconds).",
  OWN_ACCOUNT: "The account leaves every repository policy: pulls stop as soon as the policy is written.",
  BROKERED_TOKEN:
    "Registry credentials handed out last at most one hour (a registry token cannot outlive the broker session that minted it). When the customer's last entitlement ends, a deny on the broker role keyed on the customer ends them at their next pull; revoking one token ends those that token got alike, keyed on the token. A product no longer offering pull tokens stops new credentials at once; those handed out run out within the hour.",
  OIDC_FEDERATION: "The customer's workload role is deleted: its live sessions fail at their next request and no new one can be made.",
};

/** The modes in the order forms list them, as plain values and labels a client component can take. */
export function accessModeOptions(): { value: AccessMode; label: string }[] {
  return Object.values(AccessMode).map((value) => ({ value, label: accessModeLabels[value] }));
}

const mode = z.string().pipe(z.enum(AccessMode, { error: "Choose an access mode Pullgate offers" }));

export const accessModesSchema = z
  .object({
    modes: z.array(mode).min(1, "Offer at least one way to pull").max(Object.keys(AccessMode).length),
    defaultMode: mode,
  })
  .refine((input) => input.modes.includes(input.defaultMode), { message: "The default must be one of the modes offered", path: ["defaultMode"] });

/**
 * Chooses how the product's customers may pull, and how a new customer starts. Every customer
 * holding the product converges to it through the reconcile path: a mode no longer offered is
 * withdrawn (an IAM user nothing needs any more is deleted), one newly offered is granted.
 */
export async function setProductAccessModes({ actor, productId, input }: { actor: Actor; productId: string; input: z.input<typeof accessModesSchema> }) {
  const parsed = accessModesSchema.parse(input);
  const modes = [...new Set(parsed.modes)].sort();
  const customers = await db.$transaction(async (tx) => {
    const updated = await tx.product.updateMany({ where: { id: productId }, data: { accessModes: modes, defaultAccessMode: parsed.defaultMode } });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "Product not found");
    await recordAuditEvent(tx, { actor, action: "product.access_modes_set", data: { productId, modes, defaultMode: parsed.defaultMode } });
    const held = await tx.entitlement.findMany({ where: { productId, status: { in: ["ACTIVE", "SUSPENDED"] } }, distinct: ["customerId"], select: { customerId: true } });
    return held.map((e) => e.customerId);
  });
  for (const customerId of customers) await requestCustomerReconcile(customerId);
  return { modes, defaultMode: parsed.defaultMode, customers: customers.length };
}
