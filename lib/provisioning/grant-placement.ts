import type { GrantStrategy } from "@/lib/generated/prisma/enums";

type GrantState = { desired: boolean; applied: boolean; inline: boolean };

/**
 * Whether a grant's principal belongs in the repository policy's Pullgate statement. Under the
 * identity-policy strategy nobody is added there, and a principal already present stays until
 * its access ends: switching strategy costs no write and never leaves a customer without access.
 */
export function belongsInStatement(grant: GrantState, strategy: GrantStrategy): boolean {
  if (!grant.desired) return false;
  return strategy === "REPOSITORY_POLICY" || grant.applied;
}

/** A grant that only an inline policy can serve, and that does not have it yet. */
export function awaitsInlinePolicy(grant: GrantState, strategy: GrantStrategy): boolean {
  return grant.desired && strategy === "IDENTITY_POLICY" && !grant.applied && !grant.inline;
}

/** True when the repository policy still has to change for this grant. */
export function awaitsRepositoryWrite(grant: GrantState, strategy: GrantStrategy): boolean {
  return grant.applied !== belongsInStatement(grant, strategy);
}
