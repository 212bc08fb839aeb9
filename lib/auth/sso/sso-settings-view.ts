import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { ssoRedirectUri } from "./oidc-client";
import { scopeKey, type SsoScope } from "./sso-scope";

export type SsoSettingsView = {
  /** What to register at the provider as the redirect (callback) URI. */
  redirectUri: string;
  connection: {
    issuer: string;
    clientId: string;
    defaultRole: UserRole;
    enabled: boolean;
    lastSignInAt: Date | null;
    domains: { domain: string; verified: boolean }[];
  } | null;
  /** The vendor team only: whether staff below owner sign in through SSO alone. */
  ssoOnly: boolean;
};

/** The settings form of a team or organisation: never the client secret, only that one is stored. */
export async function ssoSettingsView(scope: SsoScope): Promise<SsoSettingsView> {
  const [connection, settings] = await Promise.all([
    db.ssoConnection.findUnique({
      where: { scope: scopeKey(scope) },
      select: { issuer: true, clientId: true, defaultRole: true, enabled: true, lastSignInAt: true, domains: { select: { domain: true, verifiedAt: true }, orderBy: { domain: "asc" } } },
    }),
    scope.kind === "vendor" ? db.vendorSettings.findUnique({ where: { id: "vendor" }, select: { ssoOnly: true } }) : null,
  ]);
  return {
    redirectUri: ssoRedirectUri(),
    connection: connection && { ...connection, domains: connection.domains.map((d) => ({ domain: d.domain, verified: d.verifiedAt !== null })) },
    ssoOnly: settings?.ssoOnly ?? false,
  };
}
