import type { Actor } from "@/lib/audit/actor";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SignInContext } from "../sign-in-context";
import { auditSignInSecurity } from "../sign-in-security-audit";
import { ssoConnectionInputSchema, type SsoConnectionInput } from "./connection-input";
import { discoverProvider } from "./oidc-client";
import { openClientSecret, sealClientSecret } from "./sealed-client-secret";
import { customerIdOf, scopeKey, type SsoScope } from "./sso-scope";

type Change = { actor: Actor; scope: SsoScope; context: SignInContext };

/**
 * Saves the team's or organisation's identity provider. The provider is asked for its discovery
 * document first, so an issuer that is down or wrong is refused with a clear message and nothing
 * changes. Domains are claimed by their primary key: a domain another organisation uses is a 409.
 * A customer's new domains route only once the vendor verified them (`verifiedByVendor` when the
 * vendor is the one saving); the vendor team's are its own to name.
 */
export async function saveSsoConnection({ actor, scope, context, input, verifiedByVendor }: Change & { input: SsoConnectionInput; verifiedByVendor: boolean }) {
  const fields = ssoConnectionInputSchema.parse(input);
  const key = scopeKey(scope);
  const existing = await db.ssoConnection.findUnique({ where: { scope: key } });
  const clientSecret = fields.clientSecret || (existing ? openClientSecret(existing) : "");
  if (!clientSecret) throw new AppError("INVALID_INPUT", "The client secret is required", [{ path: "clientSecret", message: "The client secret is required" }]);
  try {
    await discoverProvider({ issuer: fields.issuer, clientId: fields.clientId, clientSecret });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new AppError("INVALID_INPUT", error.message, [{ path: "issuer", message: error.message }]);
  }
  const sealed = fields.clientSecret ? sealClientSecret(fields.clientSecret, key) : null;
  const settings = {
    issuer: fields.issuer,
    clientId: fields.clientId,
    defaultRole: scope.kind === "vendor" ? fields.defaultRole : ("CUSTOMER_MEMBER" as const),
    enabled: fields.enabled,
    ...(sealed ? { clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId } : {}),
  };
  const verifiedAt = scope.kind === "vendor" || verifiedByVendor ? new Date() : null;
  await db.$transaction(async (tx) => {
    const connection = await tx.ssoConnection.upsert({
      where: { scope: key },
      create: { scope: key, customerId: customerIdOf(scope), ...settings, clientSecretCiphertext: sealed?.ciphertext ?? "", clientSecretKeyId: sealed?.keyId ?? "" },
      update: settings,
    });
    await claimDomains(tx, connection.id, fields.domains, verifiedAt ? { verifiedAt, verifiedBy: actor.label } : {});
    // Staff who sign in through the provider alone must not be shut out by turning it off.
    if (scope.kind === "vendor" && !fields.enabled) await tx.vendorSettings.updateMany({ where: { ssoOnly: true }, data: { ssoOnly: false } });
    await auditSignInSecurity(tx, actor, "sso.configured", { customerId: customerIdOf(scope) }, context, {
      scope: key,
      issuer: fields.issuer,
      clientId: fields.clientId,
      domains: fields.domains.join(","),
      defaultRole: settings.defaultRole,
      enabled: fields.enabled,
      secretChanged: sealed !== null,
      created: existing === null,
    });
  });
  return { created: existing === null };
}

async function claimDomains(tx: Tx, connectionId: string, domains: string[], verification: { verifiedAt?: Date; verifiedBy?: string }) {
  await tx.ssoDomain.deleteMany({ where: { connectionId, domain: { notIn: domains } } });
  await tx.ssoDomain.createMany({ data: domains.map((domain) => ({ domain, connectionId, ...verification })), skipDuplicates: true });
  const taken = await tx.ssoDomain.findFirst({ where: { domain: { in: domains }, connectionId: { not: connectionId } }, select: { domain: true } });
  if (taken) throw new AppError("CONFLICT", `${taken.domain} is already used for single sign-on by another organisation`, [{ path: "domains", message: `${taken.domain} is already in use` }]);
  // A vendor saving the form verifies every domain it lists.
  if (verification.verifiedAt) await tx.ssoDomain.updateMany({ where: { connectionId, verifiedAt: null }, data: verification });
}

/** Removes the provider; its users stay and sign in as before (link, password, passkey). */
export async function removeSsoConnection({ actor, scope, context }: Change) {
  const key = scopeKey(scope);
  await db.$transaction(async (tx) => {
    const removed = await tx.ssoConnection.deleteMany({ where: { scope: key } });
    if (removed.count === 0) throw new AppError("NOT_FOUND", "No single sign-on is set up");
    if (scope.kind === "vendor") await tx.vendorSettings.updateMany({ where: { ssoOnly: true }, data: { ssoOnly: false } });
    await auditSignInSecurity(tx, actor, "sso.removed", { customerId: customerIdOf(scope) }, context, { scope: key });
  });
}

/**
 * The vendor vouches that a customer's domain is the customer's: from now on its users are routed
 * to the customer's provider. Only a domain of that very customer's connection is found.
 */
export async function verifySsoDomain({ actor, customerId, domain, context }: { actor: Actor; customerId: string; domain: string; context: SignInContext }) {
  const where = { domain: domain.toLowerCase(), connection: { customerId } };
  if ((await db.ssoDomain.count({ where })) === 0) throw new AppError("NOT_FOUND", "This customer does not use that domain for single sign-on");
  const verified = await db.ssoDomain.updateMany({ where: { ...where, verifiedAt: null }, data: { verifiedAt: new Date(), verifiedBy: actor.label } });
  if (verified.count === 1) await auditSignInSecurity(db, actor, "sso.domain_verified", { customerId }, context, { domain: where.domain });
}

/**
 * Turns password, link and passkey sign-in off for vendor staff below owner (owners keep them: the
 * break-glass path), or back on. Only once the team's provider is on and has signed someone in:
 * the connection row is locked for the check, so it cannot be turned off meanwhile.
 */
export async function setVendorSsoOnly({ actor, on, context }: { actor: Actor; on: boolean; context: SignInContext }) {
  await db.$transaction(async (tx) => {
    if (on) {
      const working = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "SsoConnection" WHERE scope = 'vendor' AND enabled AND "lastSignInAt" IS NOT NULL FOR UPDATE`;
      if (working.length === 0) throw new AppError("CONFLICT", "Sign in through the team's identity provider once before turning other sign-in methods off");
    }
    await tx.vendorSettings.upsert({ where: { id: "vendor" }, create: { id: "vendor", ssoOnly: on }, update: { ssoOnly: on } });
    await auditSignInSecurity(tx, actor, "vendor.sso_only_changed", { customerId: null }, context, { ssoOnly: on });
  });
}
