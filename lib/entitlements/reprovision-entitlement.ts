import type { Actor } from "@/lib/audit/actor";
import { requestCustomerReconcile } from "@/lib/jobs/enqueue";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { markForReprovision } from "./request-reprovision";

/**
 * Converges the customer again now, checking its user, login policy, keys and inline policy in
 * AWS even where the database says they are done: the admin's answer to a failure or to access
 * that AWS lost behind Pullgate's back. On failure the job engine keeps retrying with backoff.
 */
export async function reprovisionEntitlement({ actor, entitlementId }: { actor: Actor; entitlementId: string }) {
  const customerId = await markForReprovision({ actor, entitlementId });
  const result = await convergeCustomer(customerId, actor, { recheckIdentity: true });
  if (result.ok) return { converged: true as const };
  await requestCustomerReconcile(customerId);
  return { converged: false as const, error: result.error };
}
