import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyCustomerChange } from "./apply-customer-change";
import { issueChallenge, PROOF_CHALLENGE_MINUTES } from "./prove-customer-account";

/** A customer's own accounts granted at once: enough for production, staging and a build account or two. */
export const MAX_CUSTOMER_ACCOUNTS = 5;

// The console shows account ids as 1234-5678-9012; both spellings are accepted.
const registration = z.object({
  accountId: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{12}$/, "An AWS account id is 12 digits, like 123456789012")),
});

type Change = { actor: Actor; customerId: string };
type Tx = Prisma.TransactionClient;

/**
 * Serializes changes to one customer's ways of pulling: two at once could each see the other's
 * way still there and, between them, leave the customer with none (or more than the maximum).
 */
async function lockCustomer(tx: Tx, customerId: string) {
  const locked = await tx.$executeRaw`SELECT 1 FROM "Customer" WHERE id = ${customerId} FOR UPDATE`;
  if (locked === 0) throw new AppError("NOT_FOUND", "Customer not found");
}

/** What the page says after a change: whether AWS has it already or the engine is still on it. */
function outcome(converged: boolean, done: string) {
  return converged ? done : `${done.replace(/\.$/, "")} once AWS has caught up; this is retried automatically.`;
}

/**
 * Registers one of the customer's own AWS accounts, unproven: it is granted nothing until the
 * customer proves control of it (prove-customer-account.ts), for which a nonce is issued here.
 * Anyone can type any account id. Registering an account twice changes nothing.
 */
export async function registerCustomerAccount({ actor, customerId, accountId: input }: Change & { accountId: string }) {
  const { accountId } = registration.parse({ accountId: input });
  if (await db.repository.findFirst({ where: { accountId }, select: { id: true } })) {
    throw new AppError("INVALID_INPUT", "That is the vendor's own AWS account; enter an account of yours");
  }
  const account = await db.$transaction(async (tx) => {
    await lockCustomer(tx, customerId);
    const existing = await tx.customerAccount.findUnique({ where: { liveFor_accountId: { liveFor: customerId, accountId } } });
    if (existing) return null;
    if ((await tx.customerAccount.count({ where: { liveFor: customerId } })) >= MAX_CUSTOMER_ACCOUNTS) {
      throw new AppError("CONFLICT", `At most ${MAX_CUSTOMER_ACCOUNTS} AWS accounts can be registered; remove one first`);
    }
    const created = await tx.customerAccount.create({ data: { customerId, accountId, liveFor: customerId } });
    await recordAuditEvent(tx, { actor, action: "customer_account.registered", customerId, data: { accountId } });
    return created;
  });
  if (!account) return `Account ${accountId} is already registered.`;
  await issueChallenge(customerId, accountId);
  return `Account ${accountId} is registered. Prove it is yours to grant it: run the script shown for it within ${PROOF_CHALLENGE_MINUTES} minutes and paste its output.`;
}

// An account the customer pulls with: proven, or registered before proofs and still granted.
const waysToPull = [{ provenAt: { not: null } }, { grants: { some: { desired: true } } }];

/** Withdraws the account from every repository policy. The last account of a key-less customer stays. */
export async function removeCustomerAccount({ actor, customerId, customerAccountId }: Change & { customerAccountId: string }) {
  const removed = await db.$transaction(async (tx) => {
    await lockCustomer(tx, customerId);
    const account = await tx.customerAccount.findFirst({ where: { id: customerAccountId, liveFor: customerId } });
    if (!account) throw new AppError("NOT_FOUND", "That AWS account is not registered");
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { keyAccess: true } });
    const others = await tx.customerAccount.count({ where: { liveFor: customerId, id: { not: account.id }, OR: waysToPull } });
    if (!customer.keyAccess && others === 0 && !(await pullsWithTokens(tx, customerId))) {
      throw new AppError("CONFLICT", "This is your only way to pull: turn Pullgate access keys back on, or register another account first");
    }
    await tx.customerAccount.update({ where: { id: account.id }, data: { liveFor: null, removedAt: new Date() } });
    await recordAuditEvent(tx, { actor, action: "customer_account.removed", customerId, data: { accountId: account.accountId } });
    return account;
  });
  const result = await applyCustomerChange(customerId, actor);
  return outcome(result.ok, `Account ${removed.accountId} can no longer pull your images.`);
}

/**
 * Whether the customer pulls with pull tokens: it holds a live one, and a product that offers
 * them. Offered alone is not enough: a customer without a token would be left with no way to pull.
 */
async function pullsWithTokens(tx: Tx, customerId: string) {
  const now = new Date();
  const tokens = await tx.pullToken.count({ where: { customerId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
  if (tokens === 0) return false;
  return (await tx.entitlement.count({ where: { customerId, status: { in: ["ACTIVE", "SUSPENDED"] }, product: { accessModes: { has: "BROKERED_TOKEN" } } } })) > 0;
}

/** Whether the customer has another way to pull than keys: a proven account, or pull tokens. */
async function pullsWithoutKeys(tx: Tx, customerId: string) {
  return (await tx.customerAccount.count({ where: { liveFor: customerId, provenAt: { not: null } } })) > 0 || pullsWithTokens(tx, customerId);
}

/**
 * Turns the customer's Pullgate-issued IAM user and key on or off. Off deletes the user (after its
 * principal has left every repository policy); a customer needs another way to pull for that.
 */
export async function setKeyAccess({ actor, customerId, enabled }: Change & { enabled: boolean }) {
  const changed = await db.$transaction(async (tx) => {
    await lockCustomer(tx, customerId);
    if (!enabled && !(await pullsWithoutKeys(tx, customerId))) {
      throw new AppError("CONFLICT", "Register and prove an AWS account of yours first, or make a pull token where your products offer them: without keys you would have no way to pull");
    }
    const updated = await tx.customer.updateMany({ where: { id: customerId, keyAccess: !enabled }, data: { keyAccess: enabled } });
    if (updated.count > 0) await recordAuditEvent(tx, { actor, action: enabled ? "customer.keys_enabled" : "customer.keys_disabled", customerId });
    return updated.count > 0;
  });
  const done = enabled ? "Pullgate access keys are on." : "Pullgate access keys are off and the key is deleted.";
  if (!changed) return done;
  const result = await applyCustomerChange(customerId, actor);
  return outcome(result.ok, done);
}
