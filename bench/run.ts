// `npm run bench`: the provisioning engine measured against moto behind the fault proxy (20 ms
// latency, 10 mutations/s), next to a naive baseline. Writes bench/results.json; BENCHMARKS.md
// explains the method and the figures.
// Usage: npm run bench [-- --sizes 10,100,200,1000 --wave 2500x4 --dashboard 100000 --portal 100000 --billing 100000x2000 --modes 20x5]
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { bootstrapEmulator } from "@/lib/aws/emulator-bootstrap";
import { startMailCatcher } from "@/lib/sandbox/mail-catcher";
import { startMotoServer } from "@/lib/sandbox/moto-server";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { startFaultProxy } from "../tests/support/fault-proxy";

const WEATHER = { latencyMs: 20, mutationsPerSecond: 10, seed: 1 };
const REGION = "us-east-1";
const RESULTS = "bench/results.json";

function arg(name: string, fallback: string) {
  const i = process.argv.indexOf(name);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? fallback;
}

/** `--sizes 10,100`: concurrent purchases per engine run; `--sizes none` skips them and the naive baseline. */
function argSizes() {
  return arg("--sizes", "10,100,200,1000").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

/** `--dashboard 100000`: entitlements seeded for the admin dashboard's load test; `--dashboard 0` skips it. */
const argDashboard = () => Number(arg("--dashboard", "100000")) || 0;

/** `--portal 100000`: entitlements seeded for the customer download page's load test; off unless given. */
const argPortal = () => Number(arg("--portal", "0")) || 0;

/** `--billing 100000x2000`: entitlements seeded, and Stripe renewals posted; off unless given. */
function argBilling() {
  const [entitlements, renewals] = arg("--billing", "0").split("x").map(Number);
  return entitlements && renewals ? { entitlements, renewals } : null;
}

/**
 * `--modes 20x5`: new customers per access mode, one after another, and IAM's propagation delay
 * in seconds (5 unless given); `--modes 0` or `none` skips it.
 */
function argModes() {
  const [customers, propagationSeconds = 5] = arg("--modes", "20x5").split("x").map(Number);
  return customers ? { customers, propagationSeconds } : null;
}

/** Earlier figures stay: a run of one part replaces only that part's figures. */
function previousResults(): Record<string, unknown> {
  return existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
}

/** Per-size figures merge by size, each dated: a run at 1,000 keeps the figures at 10, 100 and 200. */
function mergeBySize(previous: unknown, date: string, figures: { customers: number }[]) {
  const earlier = (previous as { figures?: unknown } | undefined)?.figures;
  const kept = (Array.isArray(earlier) ? (earlier as { customers: number }[]) : []).filter((f) => !figures.some((n) => n.customers === f.customers));
  return [...kept, ...figures.map((f) => ({ date, ...f }))].sort((a, b) => a.customers - b.customers);
}

/** `--wave 2500x4`: customers x products expiring at once; `--wave 0` skips it. */
function argWave() {
  const [customers, products] = arg("--wave", "2500x4").split("x").map(Number);
  return customers && products ? { customers, products } : null;
}

/** moto, prepared as the vendor prepares its account; each part makes the repositories it needs. */
async function startEmulator() {
  const moto = await startMotoServer();
  const aws = await bootstrapEmulator({
    endpoint: moto.endpoint,
    region: REGION,
    iamPath: "/pullgate/",
    loginPolicyName: "AmazonEC2ContainerRegistryLogin",
    boundaryPolicyName: "PullgateCustomerBoundary",
    repositories: [],
  });
  return { moto, aws };
}

async function main() {
  const sizes = argSizes();
  const wave = argWave();
  const dashboardSize = argDashboard();
  const portalSize = argPortal();
  const billing = argBilling();
  const modes = argModes();
  const serverUrl = process.env.DATABASE_URL;
  const { moto, aws } = await startEmulator();
  const mail = await startMailCatcher();
  const database = await createThrowawayDatabase("bench", serverUrl);
  const proxy = await startFaultProxy(moto.endpoint);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(24).toString("base64"),
    PULLGATE_MASTER_KEY: randomBytes(32).toString("base64"),
    PULLGATE_AWS_ENDPOINT: proxy.url,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: aws.portal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.portal.secretAccessKey,
    SMTP_URL: mail.smtpUrl,
    LOG_LEVEL: "error",
    PULLGATE_WORKER_CONCURRENCY: "16",
    PULLGATE_JOB_RETRY_DELAY_SECONDS: "2",
  });
  // Imported after the environment is set: the configuration is read once.
  const { runScenarios } = await import("./scenarios");
  const { dashboardBenchmark } = await import("./dashboard");
  const { portalBenchmark } = await import("./portal");
  const { billingBenchmark } = await import("./billing");
  const { accessModesBenchmark } = await import("./access-modes");
  try {
    const date = new Date().toISOString();
    const report: Record<string, unknown> = {
      ...previousResults(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: database.embedded ? "embedded PostgreSQL" : "PostgreSQL server" },
      weather: WEATHER,
    };
    if (sizes.length > 0 || wave) {
      const results = await runScenarios({ sizes, wave, proxy, weather: WEATHER, accountId: aws.accountId, adminCredentials: aws.admin, endpoint: moto.endpoint, region: REGION });
      if (results.engine) report.engine = { figures: mergeBySize(report.engine, date, results.engine) };
      if (results.naive) report.naive = { figures: mergeBySize(report.naive, date, [results.naive]) };
      if (results.wave) report.wave = { date, figures: results.wave };
    }
    if (dashboardSize > 0) report.dashboard = { date, figures: await dashboardBenchmark(dashboardSize, serverUrl) };
    if (portalSize > 0) {
      const emulator = { endpoint: moto.endpoint, region: REGION, accountId: aws.accountId, admin: aws.admin, portal: aws.portal };
      report.portal = { date, figures: await portalBenchmark(portalSize, serverUrl, emulator) };
    }
    if (billing) report.billing = { date, figures: await billingBenchmark(billing.entitlements, billing.renewals, serverUrl) };
    if (modes) report.accessModes = { date, ...(await accessModesBenchmark({ ...modes, weather: WEATHER, region: REGION, serverUrl, startEmulator })) };
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    const { shutdown } = await import("@/lib/jobs/shutdown");
    await shutdown();
    await proxy.close();
    await mail.stop();
    await moto.stop();
    await database.drop();
  }
  process.exit(0);
}

void main();
