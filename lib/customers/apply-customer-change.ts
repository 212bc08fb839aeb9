import type { Actor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import type { ConvergeResult } from "@/lib/provisioning/converge-customer";
import { convergeNowOrQueue } from "@/lib/provisioning/converge-or-queue";

/**
 * After a person changed a customer's desired state (its keys, its accounts): converge now, so the
 * page they are on shows the outcome. The entitlements are marked pending first, so that if AWS
 * fails now, the job engine (and the minute sweep behind it) keeps retrying until AWS matches.
 */
export async function applyCustomerChange(customerId: string, actor: Actor): Promise<ConvergeResult> {
  await db.entitlement.updateMany({ where: { customerId, status: "ACTIVE" }, data: { syncStatus: "PENDING" } });
  return convergeNowOrQueue(customerId, actor);
}
