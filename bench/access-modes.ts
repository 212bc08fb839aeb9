// Each access mode from a purchase to the customer's first registry login that pulls, under IAM's
// eventual consistency: an emulator of its own, the AWS oracle in front of it with IAM's
// propagation delay set (ECR refuses a repository policy naming a user or role younger than
// that), and the engine benchmark's fault proxy (latency, the mutation cap) between the portal
// and the oracle, counting the portal's AWS calls. The portal runs in a process of its own per
// mode (bench/access-modes-portal.ts), so its CPU time is its own; the customers are played here,
// one after another, doing what their mode asks of them as soon as they can.
import { execFile, fork } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { EMULATOR_CLOUDTRAIL_BUCKET, type bootstrapEmulator } from "@/lib/aws/emulator-bootstrap";
import { repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { evaluatePullAccess } from "@/lib/policy-evaluation";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { customerAccountCredentials, judgePullWithRegistryToken, registerOracleIssuer, setOracleLimits } from "../tests/support/aws-oracle/oracle-proxy";
import { startAwsOracle } from "../tests/support/aws-oracle/start-aws-oracle";
import { sessionCredentials, type Credentials } from "../tests/support/boto3";
import { eventually, sleep } from "../tests/support/deadline";
import { startFaultProxy, type FaultProxy, type Weather } from "../tests/support/fault-proxy";
import { workloadIssuer } from "../tests/support/workload-tokens";
import type { PortalAnswer, PortalApi, PortalRequest } from "./access-modes-portal";
import { customerAws } from "./customer-aws";
import { callStats } from "./scenarios";
import { percentile, round } from "./stats";

const MODES: AccessMode[] = ["IAM_USER_KEY", "OWN_ACCOUNT", "BROKERED_TOKEN", "OIDC_FEDERATION"];
// A login that has not worked by then is a failure of the run, not a slow figure.
const FIRST_LOGIN_TIMEOUT_MS = 180_000;
// The portal's idle CPU (its worker polling the job queue), taken off its CPU per customer: the
// first quartile of one-second slices, once the work before has settled, so that the minute's
// scheduled jobs (half a second of CPU over two or three slices) do not count.
const SETTLE_MS = 5_000;
const IDLE_SLICES = 10;

type Emulator = { moto: { endpoint: string; stop: () => Promise<void> }; aws: Awaited<ReturnType<typeof bootstrapEmulator>> };

type Options = {
  customers: number;
  propagationSeconds: number;
  weather: Weather;
  region: string;
  serverUrl: string | undefined;
  /** A new emulator, prepared as the other parts' is. */
  startEmulator: () => Promise<Emulator>;
};

type Portal = { call<K extends keyof PortalApi>(name: K, ...args: Parameters<PortalApi[K]>): Promise<Awaited<ReturnType<PortalApi[K]>>> };

/** Starts the portal process; resolves once it listens for requests. */
function startPortal(env: NodeJS.ProcessEnv): Promise<Portal> {
  const child = fork("bench/access-modes-portal.ts", [], { execArgv: ["--conditions=react-server", "--import", "tsx"], env });
  const waiting = new Map<number, { resolve: (result: never) => void; reject: (error: Error) => void }>();
  let next = 0;
  return new Promise((ready, failed) => {
    child.on("message", (answer: PortalAnswer) => {
      if (answer === "ready") return ready({ call });
      const request = waiting.get(answer.id)!;
      waiting.delete(answer.id);
      if (answer.error) request.reject(new Error(answer.error));
      else request.resolve(answer.result as never);
    });
    child.once("exit", (code) => {
      const error = new Error(`the portal process exited (${code})`);
      failed(error);
      for (const { reject } of waiting.values()) reject(error);
    });
    function call<K extends keyof PortalApi>(name: K, ...args: Parameters<PortalApi[K]>) {
      const id = next++;
      return new Promise<Awaited<ReturnType<PortalApi[K]>>>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, name, args: args[0] ?? {} } satisfies PortalRequest);
      });
    }
  });
}

type Context = { portal: Portal; aws: ReturnType<typeof customerAws>; oracle: string; accountId: string; admin: Credentials; repo: RepositoryRef };
/** How the customer logs in (a registry token or password, null when AWS refuses it), and whether a pull with it gets through. */
type Login = { login: () => Promise<string | null>; pulls: (token: string) => Promise<boolean> };
/** What the customer does once it has bought, up to its first login. */
type Journey = (ctx: Context, customer: { customerId: string; n: number }) => Promise<Login>;

/** The registry token `aws ecr get-login-password` gets with these credentials, or null when AWS refuses. */
async function ecrLogin(ctx: Context, credentials: Credentials): Promise<string | null> {
  const answer = await ctx.aws.call(credentials, "ecr", "get_authorization_token", {});
  if (answer.Error) return null;
  return (answer as { authorizationData: { authorizationToken: string }[] }).authorizationData[0]!.authorizationToken;
}

/** A `docker pull` with the token, judged by the oracle as the principal that minted it. */
const judgedPull = ({ oracle, repo }: Context) => async (registryToken: string) =>
  (await judgePullWithRegistryToken(oracle, { registryToken, region: repo.region, registryId: repo.accountId, repositoryName: repo.name })).allowed;

/** The access key panel, refreshed until the key is there, its secret revealed. */
const keyJourney: Journey = async (ctx, { customerId }) => {
  const credentials = await eventually("the access key", () => ctx.portal.call("revealKey", { customerId }), Boolean, { timeoutMs: FIRST_LOGIN_TIMEOUT_MS });
  return { login: () => ecrLogin(ctx, credentials!), pulls: judgedPull(ctx) };
};

/**
 * The command the accounts page shows, run with the account's credentials in its environment
 * (Python and botocore starting included, as for the customer): the signed proof it writes.
 */
async function runProofCommand(command: string, credentials: Credentials) {
  const dir = await mkdtemp(path.join(tmpdir(), "pullgate-proof-"));
  try {
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_EC2_METADATA_DISABLED: "true",
    } as unknown as NodeJS.ProcessEnv;
    await promisify(execFile)("bash", ["-c", command], { cwd: dir, env });
    return await readFile(path.join(dir, "proof.json"), "utf8");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Whether a role of the account, allowed every ECR action by its own account, gets through the
 * repository policy AWS holds: the oracle judges only the vendor's principals, so this is the
 * portal's own policy evaluator on the policy as read from AWS.
 */
async function accountPulls(ctx: Context, accountId: string) {
  const answer = await ctx.aws.call(ctx.admin, "ecr", "get_repository_policy", { repositoryName: ctx.repo.name });
  if (answer.Error) return false;
  const ownSide = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] };
  return evaluatePullAccess(
    { principalArn: `arn:aws:iam::${accountId}:role/ci`, principalAccountId: accountId, resourceArn: repositoryArn(ctx.repo, "aws"), resourceAccountId: ctx.repo.accountId },
    { identity: [{ name: "the customer's own policy", document: ownSide }], resource: { name: "repository policy", document: JSON.parse(String(answer.policyText)) } },
  ).allowed;
}

/**
 * The customer's own account (it had it before buying: `accounts`, by customer number),
 * registered and proven on the accounts page. `proofSeconds` collects how long each proof
 * command took.
 */
const accountJourney =
  (accounts: Map<number, { accountId: string; credentials: Credentials }>, proofSeconds: number[]): Journey =>
  async (ctx, { customerId, n }) => {
    const { accountId, credentials } = accounts.get(n)!;
    const command = await ctx.portal.call("registerAccount", { customerId, accountId });
    const t0 = performance.now();
    const proof = await runProofCommand(command, credentials);
    proofSeconds.push((performance.now() - t0) / 1000);
    await ctx.portal.call("proveAccount", { customerId, proof });
    // The registry login is the account's own call, which its administrator is always allowed
    // and which the emulator cannot answer for an account it holds no users of (HTTP 500): the
    // vendor's repository policy alone decides whether the pull gets through.
    return { login: async () => accountId, pulls: () => accountPulls(ctx, accountId) };
  };

/** A pull token made on the portal, exchanged for registry credentials as the credential helper does. */
const tokenJourney: Journey = async (ctx, { customerId }) => {
  const token = await ctx.portal.call("createPullToken", { customerId });
  return { login: () => ctx.portal.call("registryPassword", { token }), pulls: judgedPull(ctx) };
};

/** A GitHub Actions workflow trusted on the portal; its job assumes the role shown there with its OIDC token. */
const workloadJourney =
  (issuer: ReturnType<typeof workloadIssuer>): Journey =>
  async (ctx, { customerId, n }) => {
    const subject = `repo:customer-${n}/deploy:ref:refs/heads/main`;
    const shown = await ctx.portal.call("trustWorkload", { customerId, subject });
    const roleArn = shown ?? (await eventually("the workload role", () => ctx.portal.call("workloadRole", { customerId }), Boolean, { timeoutMs: FIRST_LOGIN_TIMEOUT_MS }));
    const login = async () => {
      // Unsigned: the OIDC token is the credential.
      const unsigned = { accessKeyId: "unused", secretAccessKey: "unused" };
      const token = issuer.token({ audience: "sts.amazonaws.com", subject });
      const assumed = await ctx.aws.call(unsigned, "sts", "assume_role_with_web_identity", { RoleArn: roleArn, RoleSessionName: "ci-job", WebIdentityToken: token, DurationSeconds: 900 });
      return assumed.Error ? null : ecrLogin(ctx, sessionCredentials(assumed));
    };
    return { login, pulls: judgedPull(ctx) };
  };

const summary = (values: number[]) => ({ p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) });

/** Customer `n` buys, does what its mode asks of it, and logs in until a pull gets through. */
async function firstLogin(ctx: Context, journey: Journey, slug: string, n: number) {
  const purchased = Date.now();
  const t0 = performance.now();
  const { customerId, entitlementId } = await ctx.portal.call("buy", { email: `${slug}-${n}@example.com`, slug });
  const login = await journey(ctx, { customerId, n });
  let token: string | null = null;
  let loginAccepted = 0;
  // A customer keeps its login and retries the pull with it, as `docker pull` after `docker login`.
  await eventually(
    `${slug} customer ${n}: a login that pulls`,
    async () => {
      if (!token && (token = await login.login())) loginAccepted = (performance.now() - t0) / 1000;
      return token !== null && (await login.pulls(token));
    },
    Boolean,
    { timeoutMs: FIRST_LOGIN_TIMEOUT_MS },
  );
  return { purchased, seconds: (performance.now() - t0) / 1000, loginAccepted, entitlementId, login };
}

/** The portal's idle CPU in ms per second. */
async function idleCpu(portal: Portal) {
  await sleep(SETTLE_MS);
  const slices: number[] = [];
  for (let i = 0; i < IDLE_SLICES; i++) {
    const from = await portal.call("cpu");
    await sleep(1000);
    slices.push((await portal.call("cpu")) - from);
  }
  return percentile(slices, 25);
}

/**
 * `customers` new customers of one mode, after one warm-up customer: the first of a process pays
 * for starting it (the portal's first look at its account, its login policy and boundary, the
 * OIDC provider of the issuer, compiled code), not for being new.
 */
async function measureMode(mode: AccessMode, ctx: Omit<Context, "repo" | "portal">, opts: Options & { proxy: FaultProxy; env: NodeJS.ProcessEnv }) {
  const portal = await startPortal(opts.env);
  try {
    await portal.call("start");
    const slug = `modes-${mode.toLowerCase().replaceAll("_", "-")}-${Date.now()}`;
    const admin = vendorAdmin({ endpoint: ctx.oracle, region: opts.region, accountId: ctx.accountId, credentials: ctx.admin });
    const repo = await admin.createRepository(`bench/${slug}`);
    admin.destroy();
    await portal.call("offer", { mode, repo, slug });
    const full = { ...ctx, portal, repo };

    // The customers' own accounts exist before they buy.
    const accounts = new Map<number, { accountId: string; credentials: Credentials }>();
    const proofSeconds: number[] = [];
    if (mode === "OWN_ACCOUNT") {
      for (let n = 0; n <= opts.customers; n++) {
        const accountId = String(200_000_000_000 + n * 1_000 + Math.floor(Math.random() * 1_000));
        accounts.set(n, { accountId, credentials: await customerAccountCredentials(ctx.oracle, accountId) });
      }
    }
    const issuer = workloadIssuer("https://token.actions.githubusercontent.com");
    await registerOracleIssuer(ctx.oracle, issuer.issuer, issuer.jwks);
    const journey = { IAM_USER_KEY: keyJourney, OWN_ACCOUNT: accountJourney(accounts, proofSeconds), BROKERED_TOKEN: tokenJourney, OIDC_FEDERATION: workloadJourney(issuer) }[mode];

    await firstLogin(full, journey, slug, opts.customers);
    // The warm-up customer's proof is not one of the figures.
    proofSeconds.length = 0;
    opts.proxy.heal();
    opts.proxy.setWeather(opts.weather);
    const idleBefore = await idleCpu(portal);

    const cpuFrom = await portal.call("cpu");
    const started = performance.now();
    const firstLogins: Awaited<ReturnType<typeof firstLogin>>[] = [];
    for (let n = 0; n < opts.customers; n++) {
      firstLogins.push(await firstLogin(full, journey, slug, n));
      console.error(`${mode}: customer ${n + 1}/${opts.customers} pulls ${round(firstLogins[n]!.seconds)} s after buying`);
    }
    // The portal's work for a purchase may go on after its customer pulls (a follow-up pass marks it provisioned).
    const provisioned = await eventually(
      "every purchase marked provisioned",
      () => portal.call("provisioned", { entitlementIds: firstLogins.map((f) => f.entitlementId) }),
      (at) => Object.values(at).every((t) => t !== null),
      { timeoutMs: FIRST_LOGIN_TIMEOUT_MS },
    );
    const windowCpuMs = (await portal.call("cpu")) - cpuFrom;
    const windowSeconds = (performance.now() - started) / 1000;
    const calls = callStats(opts.proxy, opts.customers);
    const refusedPolicyWrites = opts.proxy.log.filter((r) => r.operation === "ecr:SetRepositoryPolicy" && r.outcome === 400).length;
    opts.proxy.heal();
    // The idle rate drifts (the runtime still compiling the polling code): measured again after,
    // the two readings' mean is taken off, and half their difference bounds the error.
    const idleAfter = await idleCpu(portal);
    const idlePerCustomerMs = (idle: number) => (idle * windowSeconds) / opts.customers;

    // The floor: the same login again, once nothing is left to propagate.
    const relogins: number[] = [];
    for (const { login } of firstLogins) {
      const t0 = performance.now();
      const token = await login.login();
      if (!token || !(await login.pulls(token))) throw new Error(`${mode}: a customer that pulled could not log in again`);
      relogins.push((performance.now() - t0) / 1000);
    }
    return {
      mode,
      customers: opts.customers,
      firstLoginSeconds: summary(firstLogins.map((f) => f.seconds)),
      // The oracle holds back only a repository policy naming a new principal, which only the key mode writes.
      floorPropagationSeconds: mode === "IAM_USER_KEY" ? opts.propagationSeconds : 0,
      reloginSeconds: summary(relogins),
      loginAcceptedSeconds: summary(firstLogins.map((f) => f.loginAccepted)),
      // When the portal marked the purchase as provisioned (for an own account: after its proof).
      portalSyncedSeconds: summary(firstLogins.map((f) => (provisioned[f.entitlementId]! - f.purchased) / 1000)),
      ...(proofSeconds.length > 0 && { proofCommandSeconds: summary(proofSeconds) }),
      portalCpuMsPerCustomer: round(windowCpuMs / opts.customers - idlePerCustomerMs((idleBefore + idleAfter) / 2), 1),
      portalCpuUncertaintyMs: round(idlePerCustomerMs(Math.abs(idleBefore - idleAfter) / 2), 1),
      idleCpuMsPerSecond: { before: round(idleBefore, 1), after: round(idleAfter, 1) },
      iamMutationsPerCustomer: calls.iamMutationsPerCustomer,
      policyWritesPerCustomer: round(calls.policyWrites / opts.customers),
      awsCallsPerCustomer: calls.callsPerCustomer,
      // ECR's "Principal not found" while IAM propagates, each answered by a retry.
      refusedPolicyWrites,
      throttled: calls.throttled,
      byOperation: calls.byOperation,
    };
  } finally {
    await portal.call("stop").catch(() => undefined);
  }
}

export async function accessModesBenchmark(opts: Options) {
  // An emulator of its own: the oracle judges against everything the account holds, and the other parts' users are none of this one's.
  const { moto, aws } = await opts.startEmulator();
  const database = await createThrowawayDatabase("modes", opts.serverUrl);
  // The oracle serves S3 too; no part of this benchmark reads a bucket.
  const oracle = await startAwsOracle({ emulator: moto.endpoint, s3: moto.endpoint, region: opts.region, accountId: aws.accountId, admin: aws.admin, cloudTrailBucket: EMULATOR_CLOUDTRAIL_BUCKET });
  const proxy = await startFaultProxy(oracle.endpoint);
  const customers = customerAws({ awsEndpoint: oracle.endpoint, region: opts.region });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    PULLGATE_AWS_ENDPOINT: proxy.url,
    AWS_REGION: opts.region,
    AWS_ACCESS_KEY_ID: aws.portal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.portal.secretAccessKey,
  };
  // The worker's default concurrency: the customers come one at a time, and more pollers would only add idle CPU.
  delete env.PULLGATE_WORKER_CONCURRENCY;
  try {
    await setOracleLimits(oracle.endpoint, { principalVisibleAfterSeconds: opts.propagationSeconds });
    const figures = [];
    for (const mode of MODES) {
      console.error(`access modes: ${opts.customers} new customers pulling through ${mode}`);
      const ctx = { aws: customers, oracle: oracle.endpoint, accountId: aws.accountId, admin: aws.admin };
      const result = await measureMode(mode, ctx, { ...opts, proxy, env });
      console.error(JSON.stringify(result));
      figures.push(result);
    }
    return { propagationSeconds: opts.propagationSeconds, weather: opts.weather, figures };
  } finally {
    customers.stop();
    await proxy.close();
    await oracle.stop();
    await database.drop();
    await moto.stop();
  }
}
