import "server-only";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import { call } from "./aws-error";
import { stsClient, type AccountCredentials } from "./clients";
import { registryRoleArn } from "./registry-role";
import { portalAccount } from "./sts";

// Sessions last an hour; the SDK asks for a new one five minutes before this one ends.
const SESSION_SECONDS = 3600;
const sessions = new Map<string, AccountCredentials>();

/** The role the portal assumes in one of the vendor's other accounts holding repositories. */
export async function registryRoleOf(accountId: string) {
  const { partition } = await portalAccount();
  return registryRoleArn({ accountId, partition }, env().PULLGATE_IAM_PATH, env().PULLGATE_REGISTRY_ROLE_NAME);
}

/**
 * How the portal reaches repositories of `accountId`: undefined for its own account (its own
 * credentials), a session of the account's registry role for one of PULLGATE_REGISTRY_ACCOUNTS.
 * AWS would refuse the portal's own credentials on another account's repository anyway: the
 * repository policies there do not name the portal.
 */
export function registryAccess(accountId: string): AccountCredentials | undefined {
  if (!env().PULLGATE_REGISTRY_ACCOUNTS.includes(accountId)) return undefined;
  let access = sessions.get(accountId);
  if (!access) {
    access = { accountId, credentials: () => assumeRegistryRole(accountId) };
    sessions.set(accountId, access);
  }
  return access;
}

async function assumeRegistryRole(accountId: string) {
  const RoleArn = await registryRoleOf(accountId);
  const out = await call("sts:AssumeRole", () =>
    stsClient().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: "pullgate-portal", DurationSeconds: SESSION_SECONDS })),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration, accountId };
}
