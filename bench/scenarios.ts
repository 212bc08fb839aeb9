import { systemActor } from "@/lib/audit/actor";
import { getRepositoryPolicy, getRepositoryTag, putRepositoryPolicy, type RepositoryRef } from "@/lib/aws/ecr";
import { attachUserPolicy, createAccessKey, ensureUser, getUserInlinePolicy, policyArn } from "@/lib/aws/iam";
import { INLINE_PULL_POLICY_NAME, inlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { PRODUCT_TAG_KEY, pullPrincipals, REPOSITORY_POLICY_MAX_CHARS, withPullPrincipals } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { db } from "@/lib/db";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { scheduleExpiry } from "@/lib/jobs/enqueue";
import { runWorker } from "@/lib/worker/run-worker";
import { eventually } from "../tests/support/deadline";
import { isMutation, type FaultProxy, type Weather } from "../tests/support/fault-proxy";
import { percentile, round } from "./stats";

type Options = {
  sizes: number[];
  wave: { customers: number; products: number } | null;
  proxy: FaultProxy;
  weather: Weather;
  accountId: string;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  endpoint: string;
  region: string;
};

const actor = systemActor("benchmark");
/** Calls the proxy saw since the last heal, by operation, and how many were throttled. */
export function callStats(proxy: FaultProxy, customers: number) {
  const byOperation: Record<string, number> = {};
  for (const r of proxy.log) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
  const accepted = proxy.log.filter((r) => r.outcome === 200);
  const iamMutations = accepted.filter((r) => r.operation.startsWith("iam:") && isMutation(r.operation)).length;
  return {
    callsPerCustomer: round(proxy.log.length / customers),
    iamMutationsPerCustomer: round(iamMutations / customers),
    throttled: proxy.log.filter((r) => r.outcome === 400 && r.operation !== "ecr:SetRepositoryPolicy").length,
    policyWrites: accepted.filter((r) => r.operation === "ecr:SetRepositoryPolicy").length,
    byOperation,
  };
}


export async function runScenarios(opts: Options) {
  const admin = vendorAdmin({ endpoint: opts.endpoint, region: opts.region, accountId: opts.accountId, credentials: opts.adminCredentials });
  const capPerSecond = opts.weather.mutationsPerSecond!;
  const stop = await runWorker();
  const engine = [];
  let wave = null;
  try {
    for (const size of opts.sizes) {
      const name = `bench/engine-${size}-${Date.now()}`;
      await admin.createRepository(name);
      const product = await db.product.create({
        data: { slug: `bench-${size}-${Date.now()}`, name: `Bench ${size}`, repositories: { create: [{ accountId: opts.accountId, region: opts.region, name }] } },
        include: { repositories: true },
      });
      console.error(`engine: ${size} concurrent purchases on one repository`);
      opts.proxy.heal();
      opts.proxy.setWeather(opts.weather);
      const started = Date.now();
      const granted = await Promise.all(
        Array.from({ length: size }, (_, i) =>
          grantEntitlement({
            actor,
            source: "API",
            input: { customerEmail: `bench-${size}-${i}-${started}@example.com`, productSlug: product.slug, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
          }),
        ),
      );
      const ids = granted.map((g) => g.entitlement.id);
      await eventually(
        "provisioning",
        async () => (await db.entitlement.count({ where: { id: { in: ids }, syncStatus: "SYNCED" } })) === size,
        Boolean,
        { timeoutMs: 3_600_000 },
      );
      const seconds = (Date.now() - started) / 1000;
      const calls = callStats(opts.proxy, size);
      opts.proxy.heal();
      const lost = await countLost(product.repositories[0]!, granted.map((g) => g.entitlement.customerId));
      const repository = await db.repository.findUniqueOrThrow({ where: { id: product.repositories[0]!.id } });
      const perSecond = size / seconds;
      const floor = capPerSecond / Math.max(1, calls.iamMutationsPerCustomer);
      const provisioning = {
        seconds: round(seconds),
        customersPerSecond: round(perSecond),
        floorPerSecond: round(floor),
        ofFloor: round(perSecond / floor),
        ofThreeMutationFloor: round(perSecond / (capPerSecond / 3)),
        lost,
        strategy: repository.strategy,
        ...calls,
      };
      console.error(JSON.stringify(provisioning));

      console.error(`engine: ${size} entitlements expire at once`);
      const revocation = await revokeAtOnce(ids, granted.map((g) => g.entitlement.customerId), product.repositories, opts);
      console.error(JSON.stringify(revocation));
      engine.push({ customers: size, provisioning, revocation });
    }
    if (opts.wave) {
      console.error(`engine: a wave of ${opts.wave.customers} customers x ${opts.wave.products} products expiring at once`);
      wave = await revocationWave(opts.wave, opts);
      console.error(JSON.stringify(wave));
    }
  } finally {
    await stop();
  }

  let naive = null;
  if (opts.sizes.length > 0) {
    const naiveSize = opts.sizes.includes(200) ? 200 : opts.sizes[0]!;
    console.error(`naive baseline: ${naiveSize} purchases, sequential, one policy write each`);
    naive = await naiveBaseline(naiveSize, opts, admin);
    console.error(JSON.stringify(naive));
  }
  admin.destroy();
  return { engine: engine.length > 0 ? engine : null, wave, naive };
}

/**
 * Lets every given entitlement end in the same second and measures, per customer, the lag from
 * the end of access until its IAM user is gone (out of every repository policy first).
 */
async function revokeAtOnce(entitlementIds: string[], customerIds: string[], repositories: RepositoryRef[], opts: Options) {
  const capPerSecond = opts.weather.mutationsPerSecond!;
  opts.proxy.setWeather(opts.weather);
  const endsAt = new Date(Date.now() + 3_000);
  await db.entitlement.updateMany({ where: { id: { in: entitlementIds } }, data: { expiresAt: endsAt } });
  await scheduleExpiry(endsAt);
  await eventually(
    "revocation",
    async () => (await db.awsIdentity.count({ where: { customerId: { in: customerIds }, status: "DELETED" } })) === customerIds.length,
    Boolean,
    { timeoutMs: 3 * 3_600_000 },
  );
  const deleted = await db.awsIdentity.findMany({ where: { customerId: { in: customerIds } }, select: { deletedAt: true } });
  const lags = deleted.map((d) => (d.deletedAt!.getTime() - endsAt.getTime()) / 1000);
  const calls = callStats(opts.proxy, customerIds.length);
  opts.proxy.heal();
  const seconds = Math.max(...lags);
  const floor = (customerIds.length * calls.iamMutationsPerCustomer) / capPerSecond;
  const remaining = await Promise.all(repositories.map(async (r) => pullPrincipals(await getRepositoryPolicy(r)).length));
  return {
    entitlements: entitlementIds.length,
    customers: customerIds.length,
    lagP50Seconds: round(percentile(lags, 50)),
    lagP99Seconds: round(percentile(lags, 99)),
    secondsToRevokeAll: round(seconds),
    floorSeconds: round(floor),
    ofFloor: round(floor / seconds),
    remainingPrincipals: remaining.reduce((a, b) => a + b, 0),
    ...calls,
  };
}

/**
 * Month end at scale: `customers` customers each entitled to `products` products (one repository
 * each), provisioned without weather, then all ending in the same second under the weather.
 * 2,500 x 4 gives 10,000 entitlements while staying within an account's 5,000 IAM users.
 */
async function revocationWave(wave: { customers: number; products: number }, opts: Options) {
  const admin = vendorAdmin({ endpoint: opts.endpoint, region: opts.region, accountId: opts.accountId, credentials: opts.adminCredentials });
  const stamp = Date.now();
  const products = await Promise.all(
    Array.from({ length: wave.products }, async (_, p) => {
      const name = `bench/wave-${p}-${stamp}`;
      await admin.createRepository(name);
      return db.product.create({
        data: { slug: `wave-${p}-${stamp}`, name: `Wave ${p}`, repositories: { create: [{ accountId: opts.accountId, region: opts.region, name }] } },
        include: { repositories: true },
      });
    }),
  );
  admin.destroy();
  opts.proxy.heal();
  const seedStarted = Date.now();
  const purchases = Array.from({ length: wave.customers }, (_, c) => products.map((p) => ({ email: `wave-${c}-${stamp}@example.com`, slug: p.slug }))).flat();
  const ids: string[] = [];
  const customerIds = new Set<string>();
  // In chunks: the grants themselves are not what is measured here.
  for (let i = 0; i < purchases.length; i += 50) {
    const chunk = await Promise.all(
      purchases.slice(i, i + 50).map(({ email, slug }) =>
        grantEntitlement({ actor, source: "API", input: { customerEmail: email, productSlug: slug, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } }),
      ),
    );
    for (const g of chunk) {
      ids.push(g.entitlement.id);
      customerIds.add(g.entitlement.customerId);
    }
  }
  await eventually(
    "wave provisioning",
    async () => (await db.entitlement.count({ where: { id: { in: ids }, syncStatus: "SYNCED" } })) === ids.length,
    Boolean,
    { timeoutMs: 3 * 3_600_000 },
  );
  const seedSeconds = round((Date.now() - seedStarted) / 1000);
  opts.proxy.heal();
  const repositories = products.flatMap((p) => p.repositories);
  const strategies = await db.repository.findMany({ where: { id: { in: repositories.map((r) => r.id) } }, select: { strategy: true } });
  const revocation = await revokeAtOnce(ids, [...customerIds], repositories, opts);
  return { ...wave, seedSeconds, strategies: strategies.map((s) => s.strategy), revocation };
}

/** Customers with neither a statement entry nor an inline policy for the repository (by ARN or by its product tag). */
async function countLost(repo: { accountId: string; region: string; name: string }, customerIds: string[]) {
  const inStatement = new Set(pullPrincipals(await getRepositoryPolicy(repo)));
  const tag = await getRepositoryTag(repo, (await portalAccount()).partition, PRODUCT_TAG_KEY);
  const identities = await db.awsIdentity.findMany({ where: { liveFor: { in: customerIds } } });
  let lost = customerIds.length - identities.length;
  for (const identity of identities) {
    if (inStatement.has(identity.arn)) continue;
    const inline = inlinePullGrant(await getUserInlinePolicy(identity.userName, INLINE_PULL_POLICY_NAME));
    const named = inline.repositoryArns.some((arn) => arn.endsWith(`:repository/${repo.name}`));
    if (!named && !(tag !== null && inline.productTags.includes(tag))) lost++;
  }
  return lost;
}

/**
 * What a straightforward script does: per customer, in turn, create the user, attach the login
 * policy, create a key, then read-modify-write the repository policy.
 */
async function naiveBaseline(size: number, opts: Options, admin: ReturnType<typeof vendorAdmin>) {
  const name = `bench/naive-${Date.now()}`;
  await admin.createRepository(name);
  const repo = { accountId: opts.accountId, region: opts.region, name };
  const account = await portalAccount();
  const login = policyArn(account, "/pullgate/", "AmazonEC2ContainerRegistryLogin");
  const boundary = policyArn(account, "/pullgate/", "PullgateCustomerBoundary");
  opts.proxy.heal();
  opts.proxy.setWeather(opts.weather);
  const started = Date.now();
  let overLimit = 0;
  for (let i = 0; i < size; i++) {
    const user = await ensureUser({ userName: `naive-${started}-${i}`, path: "/pullgate/", permissionsBoundary: boundary, tags: {} });
    await attachUserPolicy(user.userName, login);
    await createAccessKey(user.userName);
    const current = await getRepositoryPolicy(repo);
    const next = withPullPrincipals(current, [...pullPrincipals(current), user.arn])!;
    // ECR refuses a policy past 10,240 characters: this customer gets no access.
    if (next.length > REPOSITORY_POLICY_MAX_CHARS) overLimit++;
    else await putRepositoryPolicy(repo, next);
  }
  const seconds = (Date.now() - started) / 1000;
  const calls = callStats(opts.proxy, size);
  opts.proxy.heal();
  return {
    customers: size,
    seconds: round(seconds),
    customersPerSecond: round(size / seconds),
    // Customers left without access: their principal no longer fit the policy.
    lost: overLimit,
    ...calls,
  };
}
