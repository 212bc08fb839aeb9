import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { registryHost } from "@/lib/aws/ecr";
import { ownAccountRepositories } from "@/lib/customers/own-account-repositories";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { SetupInput, SetupRegistry } from "./credential-helper-setup";
import { pullTokenStatus } from "./pull-tokens";

/** A pull token as its customer sees it: never its hash. */
export type PullTokenRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Why Pullgate revoked it; null when a person did, or it is not revoked. */
  revokedReason: string | null;
  status: ReturnType<typeof pullTokenStatus>;
  /** Null once its maker's user is deleted. */
  makerEmail: string | null;
};

/** The customer's pull tokens, read for that customer only: live ones first, then revoked ones, newest first within each. */
export async function listPullTokens(customerId: string, now = new Date()): Promise<PullTokenRow[]> {
  const tokens = await db.pullToken.findMany({
    where: { customerId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      revokedReason: true,
      createdBy: { select: { email: true } },
    },
  });
  return tokens.map(({ createdBy, ...token }) => ({ ...token, status: pullTokenStatus(token, now), makerEmail: createdBy?.email ?? null }));
}

/**
 * What the set-up instructions name: the portal's public URL and the registries a pull token gets
 * credentials for, each with the customer's repositories in it.
 */
export async function pullTokenSetupView(customerId: string, now = new Date()): Promise<SetupInput> {
  const repositories = await ownAccountRepositories(customerId, now, "BROKERED_TOKEN");
  const registries = new Map<string, SetupRegistry>();
  for (const r of repositories) {
    const host = registryHost(r.accountId, r.region);
    let registry = registries.get(host);
    if (!registry) registries.set(host, (registry = { host, region: r.region, repositories: [] }));
    registry.repositories.push(r.name);
  }
  return { baseUrl: env().NEXTAUTH_URL.replace(/\/+$/, ""), registries: [...registries.values()] };
}

// The helper customers install, read from where the repository ships it (one copy) and served
// as is: it holds no secret, the token lives in the customer's own config.
let script: string | undefined;
export const credentialHelperScript = () =>
  (script ??= readFileSync(path.join(process.cwd(), "scripts/customer/docker-credential-pullgate"), "utf8"));
