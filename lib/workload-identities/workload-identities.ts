import type { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { inlinePolicyChars } from "@/lib/aws/identity-pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { listOidcProviderArns } from "@/lib/aws/workload-iam";
import { OIDC_PROVIDERS_PER_ACCOUNT, oidcProviderArn, TRUST_POLICY_MAX_CHARS, workloadTrustPolicy } from "@/lib/aws/workload-role";
import { applyCustomerChange } from "@/lib/customers/apply-customer-change";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { readWorkloadIdentity, type workloadIdentityInputSchema } from "./workload-identity-input";

/** Workloads one customer may trust: its role's trust policy must stay within IAM's limit. */
export const MAX_WORKLOAD_IDENTITIES = 5;
/** Issuers one customer may use: each may cost the account one of IAM's 100 OIDC providers. */
export const MAX_WORKLOAD_ISSUERS = 2;

const invalid = (path: string, message: string) => new AppError("INVALID_INPUT", message, [{ path, message }]);

/**
 * Trusts a workload of the owner's customer to pull as the customer; its role follows through
 * the reconcile path. Refused: a subject pattern that could match other organisations, an issuer
 * the vendor did not allow, more workloads or issuers than a role can carry, and a new issuer
 * when the account's OIDC providers are at IAM's quota.
 */
export async function registerWorkloadIdentity({ actor, customerId, input }: { actor: Extract<Actor, { type: "USER" }>; customerId: string; input: z.input<typeof workloadIdentityInputSchema> }) {
  const read = readWorkloadIdentity(input, env().PULLGATE_WORKLOAD_ISSUERS);
  if (!read.ok) throw invalid(read.path, read.message);
  const { identity } = read;
  const account = await portalAccount();
  // A provider for a new issuer must fit in IAM's quota: asked before anything is stored.
  if (!(await db.oidcProvider.findUnique({ where: { issuer: identity.issuer } }))) {
    const providers = await listOidcProviderArns();
    if (!providers.includes(oidcProviderArn(account, identity.issuer)) && providers.length >= OIDC_PROVIDERS_PER_ACCOUNT) {
      throw new AppError("CONFLICT", `The vendor's AWS account holds IAM's ${OIDC_PROVIDERS_PER_ACCOUNT} OIDC identity providers already, so no new issuer can be trusted; ask the vendor`);
    }
  }
  try {
    await db.$transaction(async (tx) => {
      // The owner's row, locked: serializes this customer's registrations (the limits below) and
      // waits for a removal of this owner running now.
      const [owner] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "User" WHERE id = ${actor.id} AND "customerId" = ${customerId} AND role = 'CUSTOMER_OWNER' FOR UPDATE`;
      if (!owner) throw new AppError("FORBIDDEN", "Only your organisation's owners may trust workloads");
      const current = await tx.workloadIdentity.findMany({ where: { customerId }, select: { issuer: true, audience: true, subject: true } });
      if (current.length >= MAX_WORKLOAD_IDENTITIES) throw new AppError("CONFLICT", `You trust ${MAX_WORKLOAD_IDENTITIES} workloads already; remove one first`);
      if (new Set([...current.map((w) => w.issuer), identity.issuer]).size > MAX_WORKLOAD_ISSUERS) {
        throw invalid("issuer", `Your workloads may use at most ${MAX_WORKLOAD_ISSUERS} issuers`);
      }
      if (inlinePolicyChars(workloadTrustPolicy(account, [...current, identity])) > TRUST_POLICY_MAX_CHARS) {
        throw new AppError("CONFLICT", "Your role's trust policy is full; remove a workload first, or use shorter subjects");
      }
      const created = await tx.workloadIdentity.create({ data: { ...identity, customerId, createdById: actor.id } });
      await recordAuditEvent(tx, { actor, action: "workload_identity.registered", customerId, data: { id: created.id, ...identity } });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "You trust this workload already");
    }
    throw error;
  }
  const result = await applyCustomerChange(customerId, actor);
  return result.ok ? `Trusted ${identity.name}. Its set-up is below.` : `Trusted ${identity.name}; its role is being set up and is retried automatically.`;
}

/** Stops trusting one of the customer's workloads; the role's trust follows (and the role goes with the last one). */
export async function removeWorkloadIdentity({ actor, customerId, id }: { actor: Actor; customerId: string; id: string }) {
  const removed = await db.$transaction(async (tx) => {
    const identity = await tx.workloadIdentity.findFirst({ where: { id, customerId } });
    if (!identity) throw new AppError("NOT_FOUND", "That workload is not trusted");
    await tx.workloadIdentity.delete({ where: { id: identity.id } });
    await recordAuditEvent(tx, { actor, action: "workload_identity.removed", customerId, data: { id, name: identity.name, issuer: identity.issuer, subject: identity.subject } });
    return identity;
  });
  const result = await applyCustomerChange(customerId, actor);
  return result.ok ? `${removed.name} can no longer pull your images.` : `${removed.name} is no longer trusted; its role is being updated and is retried automatically.`;
}
