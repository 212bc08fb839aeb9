import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Entitlement } from "@/lib/generated/prisma/client";
import type { EntitlementSource } from "@/lib/generated/prisma/enums";
import { requestExpiry } from "@/lib/provisioning/request-reconcile";
import { addDays } from "@/lib/time/days";
import { instant } from "./grant-input";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";

type Conversion = {
  actor: Actor;
  expiresAt: Date;
  /** The purchase that paid for it: the entitlement is from then on that purchase's (renewals find it by it). */
  purchase?: { source: EntitlementSource; externalRef: string };
};

/**
 * Turns a running trial into a paid entitlement in place: same IAM user, same key, same
 * repositories, so nothing in AWS changes and the customer's pulls never stop. The expiry only
 * moves later (a purchase never cuts a trial short).
 */
export async function convertTrialInTx(tx: Tx, trial: Entitlement, { actor, expiresAt, purchase }: Conversion) {
  const to = expiresAt > trial.expiresAt ? expiresAt : trial.expiresAt;
  const claimed = await tx.entitlement.updateMany({
    where: { id: trial.id, kind: "TRIAL", status: "ACTIVE", expiresAt: trial.expiresAt },
    data: { kind: "STANDARD", expiresAt: to, ...purchase },
  });
  if (claimed.count === 0) throw new AppError("CONFLICT", "The trial changed meanwhile; reload and try again");
  await recordAuditEvent(tx, {
    actor,
    action: "entitlement.converted",
    customerId: trial.customerId,
    entitlementId: trial.id,
    data: { from: trial.expiresAt.toISOString(), to: to.toISOString(), externalRef: purchase?.externalRef ?? null },
  });
  return tx.entitlement.findUniqueOrThrow({ where: { id: trial.id } });
}

export const convertInputSchema = z.object({ expiresAt: instant("expiresAt").optional() }).strict();

/** The vendor converts a trial by hand (or through the API): paid until the date, the product's default term when none is given. */
export async function convertTrial({ actor, entitlementId, input }: { actor: Actor; entitlementId: string; input: { expiresAt?: string } }) {
  const { expiresAt } = convertInputSchema.parse(input);
  const now = new Date();
  if (expiresAt && expiresAt <= now) throw new AppError("INVALID_INPUT", "The new expiry must be in the future");
  const trial = await db.entitlement.findUnique({ where: { id: entitlementId }, include: { product: { select: { defaultTermDays: true, gracePeriodDays: true } } } });
  if (!trial) throw new AppError("NOT_FOUND", "Entitlement not found");
  if (trial.kind !== "TRIAL") throw new AppError("CONFLICT", "This entitlement is not a trial");
  if (trial.status !== "ACTIVE") throw new AppError("CONFLICT", "Only a running trial can be converted; grant a new entitlement instead");
  const { product, ...current } = trial;
  const entitlement = await db.$transaction((tx) =>
    convertTrialInTx(tx, current, { actor, expiresAt: expiresAt ?? addDays(now, product.defaultTermDays) }),
  );
  await requestExpiry(accessEndsAt(entitlement.expiresAt, product.gracePeriodDays));
  return entitlement;
}
