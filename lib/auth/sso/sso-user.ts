import { systemActor } from "@/lib/audit/actor";
import { db, isUniqueViolation } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { emailDomain, emailOrNull } from "@/lib/validation/strict-input";
import { isVendor } from "../roles";
import { auditSignInSecurity } from "../sign-in-security-audit";
import type { SignInContext } from "../sign-in-context";

export type SsoClaims = { sub: string; email?: unknown; email_verified?: unknown; name?: unknown };
type Connection = { id: string; scope: string; customerId: string | null; defaultRole: UserRole };

const userFields = { id: true, email: true, name: true, role: true, customerId: true, sessionEpoch: true } as const;

export type SsoUserOutcome = { ok: true; userId: string } | { ok: false; reason: "email-not-allowed" | "other-organisation" };

/** Whether a user belongs where the connection signs people in: the vendor team, or its customer. */
const belongs = (user: { role: UserRole; customerId: string | null }, connection: Connection) =>
  connection.customerId === null ? isVendor(user.role) : user.customerId === connection.customerId;

/**
 * The user an ID token stands for. A subject seen before is its user. Otherwise the email must be
 * one of the connection's verified domains (and not marked unverified by the provider): an
 * existing user with it is linked if it belongs to this team or organisation, and refused if it
 * belongs to any other; a new address becomes a user with the connection's default role (just in
 * time). Parallel first sign-ins of one address create one user: the email is unique.
 */
export async function ssoUser(connection: Connection, claims: SsoClaims, context: SignInContext): Promise<SsoUserOutcome> {
  const identity = await db.ssoIdentity.findUnique({
    where: { connectionId_subject: { connectionId: connection.id, subject: claims.sub } },
    select: { user: { select: userFields } },
  });
  if (identity) return belongs(identity.user, connection) ? { ok: true, userId: identity.user.id } : { ok: false, reason: "other-organisation" };

  const email = typeof claims.email === "string" ? emailOrNull(claims.email) : null;
  if (!email || claims.email_verified === false || !(await domainRoutes(email, connection.id))) return { ok: false, reason: "email-not-allowed" };
  const user = (await db.user.findUnique({ where: { email }, select: userFields })) ?? (await createUser(connection, email, claims, context));
  if (!belongs(user, connection)) return { ok: false, reason: "other-organisation" };
  await db.ssoIdentity.createMany({ data: [{ connectionId: connection.id, subject: claims.sub, userId: user.id }], skipDuplicates: true });
  return { ok: true, userId: user.id };
}

async function domainRoutes(email: string, connectionId: string) {
  const domain = emailDomain(email);
  return (await db.ssoDomain.count({ where: { domain, connectionId, verifiedAt: { not: null } } })) === 1;
}

async function createUser(connection: Connection, email: string, claims: SsoClaims, context: SignInContext) {
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name, role: connection.defaultRole, customerId: connection.customerId }, select: userFields });
      await auditSignInSecurity(tx, systemActor("single sign-on"), "user.created_by_sso", user, context, { scope: connection.scope, role: user.role });
      return user;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.user.findUniqueOrThrow({ where: { email }, select: userFields });
  }
}
