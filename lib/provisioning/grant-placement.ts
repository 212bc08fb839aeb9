import type { GrantStrategy } from "@/lib/generated/prisma/enums";

/**
 * `customerAccountId` marks a grant to the customer's own AWS account rather than its IAM user;
 * required, so no caller can leave it out and misplace an account grant.
 */
type GrantState = { desired: boolean; applied: boolean; inline: boolean; customerAccountId: string | null };

/**
 * Another account's principals reach a repository only through its policy (an inline policy of
 * the vendor's account cannot grant them anything): account grants ignore the identity-policy strategy.
 */
function strategyFor(grant: GrantState, strategy: GrantStrategy): GrantStrategy {
  return grant.customerAccountId ? "REPOSITORY_POLICY" : strategy;
}

/**
 * Whether a grant's principal belongs in the repository policy's Pullgate statement. Under the
 * identity-policy strategy no IAM user is added there, and a principal already present stays until
 * its access ends: switching strategy costs no write and never leaves a customer without access.
 */
export function belongsInStatement(grant: GrantState, strategy: GrantStrategy): boolean {
  if (!grant.desired) return false;
  return strategyFor(grant, strategy) === "REPOSITORY_POLICY" || grant.applied;
}

/** A grant that only an inline policy can serve, and that does not have it yet. */
export function awaitsInlinePolicy(grant: GrantState, strategy: GrantStrategy): boolean {
  return grant.desired && strategyFor(grant, strategy) === "IDENTITY_POLICY" && !grant.applied && !grant.inline;
}

/** True when the repository policy still has to change for this grant. */
export function awaitsRepositoryWrite(grant: GrantState, strategy: GrantStrategy): boolean {
  return grant.applied !== belongsInStatement(grant, strategy);
}
