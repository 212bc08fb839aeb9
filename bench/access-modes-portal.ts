// The portal measured by bench/access-modes.ts, as a process of its own: its worker runs here,
// and it answers what the benchmark's customers ask of it (a purchase, the access key page, the
// accounts page, a pull token, the registry credentials endpoint, a trusted workload) over the
// process's message channel, as a web server would over HTTP. Its CPU time is then the portal's
// own: the customers, the oracle, the fault proxy and moto run in other processes.
import { answerRegistryCredentials } from "@/lib/api/registry-credentials-route";
import { systemActor } from "@/lib/audit/actor";
import { proofStsEndpoint } from "@/lib/aws/caller-identity-proof";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { proveAccountCommand } from "@/lib/customers/account-proof-script";
import { registerCustomerAccount } from "@/lib/customers/customer-accounts";
import { proveCustomerAccount } from "@/lib/customers/prove-customer-account";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { shutdown } from "@/lib/jobs/shutdown";
import { createPullToken } from "@/lib/pull-tokens/pull-tokens";
import { runWorker } from "@/lib/worker/run-worker";
import { registerWorkloadIdentity } from "@/lib/workload-identities/workload-identities";

const actor = systemActor("benchmark");

/** The customer's owner, signed in: every customer's request below is the owner's. */
async function ownerOf(customerId: string) {
  const user = await db.user.findFirstOrThrow({ where: { customerId, role: "CUSTOMER_OWNER" } });
  return { type: "USER" as const, id: user.id, label: user.email };
}

const handlers = {
  async start() {
    // The audit compares AWS with this database alone and is not due during the run: the calls counted are the customers'.
    await db.driftRun.create({ data: { finishedAt: new Date() } });
    await runWorker();
  },

  /** A product offering only `mode`, on the repository (repository-policy strategy, as every new one starts). */
  async offer({ mode, repo, slug }: { mode: AccessMode; repo: RepositoryRef; slug: string }) {
    await db.product.create({ data: { slug, name: slug, accessModes: [mode], defaultAccessMode: mode, repositories: { create: [repo] } } });
  },

  /** A purchase, as the vendor's store reports it through the API. */
  async buy({ email, slug }: { email: string; slug: string }) {
    const { entitlement } = await grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug: slug, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
    return { customerId: entitlement.customerId, entitlementId: entitlement.id };
  },

  /** The access key panel: the key and its secret, revealed once it is there; null before. */
  async revealKey({ customerId }: { customerId: string }) {
    const key = await db.accessKey.findFirst({ where: { status: "ACTIVE", identity: { customerId } } });
    return key ? revealSecret({ actor: await ownerOf(customerId), customerId, accessKeyId: key.accessKeyId }) : null;
  },

  /** The accounts page: the account registered, and the proof command it then shows. */
  async registerAccount({ customerId, accountId }: { customerId: string; accountId: string }) {
    await registerCustomerAccount({ actor: await ownerOf(customerId), customerId, accountId });
    const { nonce } = await db.accountProofChallenge.findFirstOrThrow({ where: { customerId, accountId, usedAt: null }, orderBy: { createdAt: "desc" } });
    return proveAccountCommand({ nonce, ...proofStsEndpoint() });
  },

  async proveAccount({ customerId, proof }: { customerId: string; proof: string }) {
    return proveCustomerAccount({ actor: await ownerOf(customerId), customerId, proof });
  },

  async createPullToken({ customerId }: { customerId: string }) {
    return (await createPullToken({ actor: await ownerOf(customerId), customerId, input: { name: "ci" } })).token;
  },

  /** What the credential helper posts with the pull token: the registry password, or null when refused. */
  async registryPassword({ token }: { token: string }) {
    const response = await answerRegistryCredentials(
      new Request("http://localhost/api/v1/registry/credentials", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" }),
    );
    if (response.status !== 200) return null;
    const { credentials } = (await response.json()) as { credentials: { password: string }[] };
    return credentials[0]?.password ?? null;
  },

  /** The workloads page: a GitHub Actions workflow trusted; the role it shows (null while it is set up). */
  async trustWorkload({ customerId, subject }: { customerId: string; subject: string }) {
    await registerWorkloadIdentity({ actor: await ownerOf(customerId), customerId, input: { kind: "GITHUB_ACTIONS", name: "deploy", subject } });
    return (await db.customer.findUniqueOrThrow({ where: { id: customerId } })).workloadRoleArn;
  },

  async workloadRole({ customerId }: { customerId: string }) {
    return (await db.customer.findUniqueOrThrow({ where: { id: customerId } })).workloadRoleArn;
  },

  /** When each purchase was marked provisioned (ms since the epoch), or null while it is not. */
  async provisioned({ entitlementIds }: { entitlementIds: string[] }) {
    const rows = await db.entitlement.findMany({ where: { id: { in: entitlementIds } }, select: { id: true, syncStatus: true, syncedAt: true } });
    return Object.fromEntries(rows.map((e) => [e.id, e.syncStatus === "SYNCED" ? e.syncedAt!.getTime() : null]));
  },

  /** This process's CPU time so far, user and system, in ms. */
  async cpu() {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  },

  async stop() {
    await shutdown();
    setImmediate(() => process.exit(0));
  },
};

export type PortalApi = typeof handlers;
export type PortalRequest = { id: number; name: keyof PortalApi; args: object };
export type PortalAnswer = { id: number; result?: unknown; error?: string } | "ready";

process.on("message", ({ id, name, args }: PortalRequest) => {
  (handlers[name] as (args: object) => Promise<unknown>)(args).then(
    (result) => process.send!({ id, result }),
    (error: unknown) => process.send!({ id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.send!("ready");
