import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { proofStsEndpoint, sendSignedCallerIdentity } from "@/lib/aws/caller-identity-proof";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseAccountProof } from "./account-proof-request";
import { applyCustomerChange } from "./apply-customer-change";

/** How long a nonce waits for its proof: enough to run the script, short enough to be useless when leaked later. */
export const PROOF_CHALLENGE_MINUTES = 15;

type Change = { actor: Actor; customerId: string };

const refuse = (message: string): never => {
  throw new AppError("INVALID_INPUT", message, [{ path: "proof", message }]);
};

/**
 * Issues a one-time nonce for proving the customer controls one of its registered accounts. The
 * account is read within the customer (liveFor), so nobody starts a proof for another's account.
 */
export async function startAccountProof({ customerId, customerAccountId }: Change & { customerAccountId: string }) {
  const account = await db.customerAccount.findFirst({ where: { id: customerAccountId, liveFor: customerId }, select: { accountId: true, provenAt: true } });
  if (!account) throw new AppError("NOT_FOUND", "That AWS account is not registered");
  if (account.provenAt) return `Account ${account.accountId} is proven already.`;
  await issueChallenge(customerId, account.accountId);
  return `Run the script shown for account ${account.accountId} within ${PROOF_CHALLENGE_MINUTES} minutes and paste its output.`;
}

/** A fresh nonce for the account, replacing the customer's open ones for it; nonces past a day are dropped. */
export async function issueChallenge(customerId: string, accountId: string) {
  const now = new Date();
  await db.$transaction([
    db.accountProofChallenge.deleteMany({ where: { customerId, expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } }),
    db.accountProofChallenge.updateMany({ where: { customerId, accountId, usedAt: null }, data: { expiresAt: now } }),
    db.accountProofChallenge.create({
      data: { customerId, accountId, nonce: randomBytes(32).toString("base64url"), expiresAt: new Date(now.getTime() + PROOF_CHALLENGE_MINUTES * 60_000) },
    }),
  ]);
}

/** Why STS refused a proof, in the customer's terms. */
function stsRefusal(code: string) {
  if (code === "SignatureDoesNotMatch") return "AWS STS refused the proof's signature: produce it with the script, unchanged, and paste it as it is";
  if (["InvalidClientTokenId", "ExpiredToken", "InvalidToken", "UnrecognizedClientException"].includes(code)) {
    return "AWS STS does not accept the credentials that signed the proof (unknown or expired): sign it with current credentials of the account";
  }
  return `AWS STS refused the proof (${code.replace(/[^A-Za-z0-9.]/g, "").slice(0, 64)}): run the script again`;
}

/**
 * Proves the customer controls an AWS account: `proof` is a GetCallerIdentity request signed by
 * credentials of the account over an open nonce of this customer. The nonce is spent first (one
 * claim wins), then the request goes to Pullgate's own STS endpoint, and the account STS names
 * must be the one the nonce was issued for. A proven account is granted what the customer may pull.
 */
export async function proveCustomerAccount({ actor, customerId, proof }: Change & { proof: string }) {
  const { host, region } = proofStsEndpoint();
  const parsed = parseAccountProof(proof, { host, region });
  const now = new Date();
  const claimed = await db.accountProofChallenge.updateMany({
    where: { nonce: parsed.nonce, customerId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count === 0) refuse("The proof's nonce is not open: it is unknown, used already or expired. Start the proof again for a new one");
  const { accountId } = await db.accountProofChallenge.findUniqueOrThrow({ where: { nonce: parsed.nonce }, select: { accountId: true } });

  const answer = await sendSignedCallerIdentity(parsed).catch(() => {
    throw new AppError("UNAVAILABLE", "AWS STS could not be reached to check the proof; start the proof again in a minute");
  });
  if (!answer.ok) return refuse(stsRefusal(answer.code));
  if (answer.account !== accountId) refuse(`The proof is signed by credentials of account ${answer.account}, not of ${accountId}: sign it with credentials of ${accountId}`);

  const proven = await db.$transaction(async (tx) => {
    const updated = await tx.customerAccount.updateMany({ where: { liveFor: customerId, accountId, provenAt: null }, data: { provenAt: now, provenBy: answer.arn } });
    if (updated.count === 0) {
      if (!(await tx.customerAccount.findFirst({ where: { liveFor: customerId, accountId }, select: { id: true } }))) {
        throw new AppError("NOT_FOUND", `Account ${accountId} is not registered any more`);
      }
      return false;
    }
    await recordAuditEvent(tx, { actor, action: "customer_account.proven", customerId, data: { accountId, signedBy: answer.arn } });
    return true;
  });
  if (!proven) return `Account ${accountId} is proven already.`;
  const result = await applyCustomerChange(customerId, actor);
  return result.ok
    ? `Account ${accountId} is proven and can pull your images now.`
    : `Account ${accountId} is proven; it can pull your images once AWS has caught up, which is retried automatically.`;
}
