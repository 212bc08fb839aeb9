// `npm run dev`: the product with embedded defaults, kept across restarts. Without DATABASE_URL an
// embedded PostgreSQL server, without AWS credentials a local AWS emulator (moto, auth enforced)
// prepared like a vendor account, without SMTP_URL a local mail catcher; anything configured is
// used as it is. Its state lives in `.pullgate/` (PULLGATE_SANDBOX_DIR): the database files and the
// emulator's recordings, so customers, their working access keys and the audit log survive a restart.
//   --fresh   start over: a new embedded database and emulator (with DATABASE_URL: a new database
//             on that server, dropped on exit)
//   --start   serve the production build (`next build` first) instead of the dev server
// Every service is tied to this process (see spawnTied): when it dies, even by SIGKILL, they die too.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { waitForHttp } from "@/lib/sandbox/free-port";
import { readJsonFile, sandboxDir, writeJsonFile, type SandboxDescription } from "@/lib/sandbox/sandbox-files";
import { claimSandbox } from "@/lib/sandbox/sandbox-lock";
import { spawnTied, stopChild } from "@/lib/sandbox/tied-child";

/** The emulator's account as the sandbox prepared it. */
export type SandboxAws = NonNullable<Awaited<ReturnType<typeof startAws>>>;
/**
 * Something put between the product and the emulator (the tests' AWS oracle): given the
 * emulator, it returns the endpoints the product and the sandbox's description use instead.
 */
export type AwsFrontDoor = (aws: SandboxAws, region: string) => Promise<{ endpoint: string; s3Endpoint: string; stop: () => Promise<void> }>;

type Secrets = { nextauthSecret: string; masterKey: string; adminPassword: string; apiKey: string; databasePassword: string };

const production = process.argv.includes("--start");
const fresh = process.argv.includes("--fresh");
const stops: (() => Promise<void>)[] = [];
const say = (line: string) => console.log(`[sandbox] ${line}`);

function loadSecrets(dir: string): Secrets {
  const file = path.join(dir, "secrets.json");
  const kept = readJsonFile<Partial<Secrets>>(file) ?? {};
  const secrets: Secrets = {
    nextauthSecret: kept.nextauthSecret ?? randomBytes(32).toString("base64url"),
    masterKey: kept.masterKey ?? randomBytes(32).toString("base64"),
    adminPassword: kept.adminPassword ?? randomBytes(12).toString("base64url"),
    apiKey: kept.apiKey ?? `pgk_${randomBytes(32).toString("base64url")}`,
    databasePassword: kept.databasePassword ?? randomBytes(16).toString("hex"),
  };
  writeJsonFile(file, secrets);
  return secrets;
}

const hasAwsCredentials = () =>
  Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || process.env.AWS_WEB_IDENTITY_TOKEN_FILE);

async function startAws(dir: string, env: Record<string, string>, region: string) {
  if (hasAwsCredentials()) return null;
  const { MOTO_INSTALL_HINT, motoAvailable } = await import("@/lib/sandbox/moto-server");
  if (!motoAvailable()) throw new Error(MOTO_INSTALL_HINT);
  const { startSandboxEmulator } = await import("@/lib/sandbox/sandbox-emulator");
  const aws = await startSandboxEmulator({
    sandboxDir: dir,
    region,
    port: Number(process.env.PULLGATE_MOTO_PORT) || undefined,
    names: { iamPath: env.PULLGATE_IAM_PATH!, loginPolicyName: env.PULLGATE_LOGIN_POLICY_NAME!, boundaryPolicyName: env.PULLGATE_BOUNDARY_POLICY_NAME! },
  });
  stops.push(aws.stop);
  Object.assign(env, {
    PULLGATE_S3_ENDPOINT: aws.s3Endpoint,
    PULLGATE_CLOUDTRAIL_BUCKET: aws.cloudTrailBucket,
    PULLGATE_AWS_ENDPOINT: aws.endpoint,
    AWS_ACCESS_KEY_ID: aws.portal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.portal.secretAccessKey,
  });
  return aws;
}

async function startDatabase(dir: string, secrets: Secrets, logs: string): Promise<{ url: string; where: string }> {
  if (process.env.DATABASE_URL && fresh) {
    const { createThrowawayDatabase } = await import("@/lib/sandbox/throwaway-database");
    const database = await createThrowawayDatabase("sandbox", process.env.DATABASE_URL);
    stops.push(database.drop);
    return { url: database.url, where: `new database ${new URL(database.url).pathname.slice(1)} on the DATABASE_URL server (dropped on exit)` };
  }
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, where: "DATABASE_URL" };
  const { sandboxDataDir, startSandboxDatabase } = await import("@/lib/sandbox/sandbox-database");
  const database = await startSandboxDatabase({
    dataDir: sandboxDataDir(dir),
    password: secrets.databasePassword,
    port: Number(process.env.PULLGATE_PG_PORT) || undefined,
    logFile: path.join(logs, "postgres.log"),
  });
  stops.push(database.stop);
  return { url: database.url, where: `embedded PostgreSQL, data in ${database.dataDir}` };
}

/**
 * The embedded database and the emulator describe one world: kept together, started over
 * together. `--fresh`, or one kept without the other, starts both over.
 */
async function reconcileKeptState(dir: string) {
  const { emulatorStateExists, forgetEmulatorState } = await import("@/lib/sandbox/sandbox-emulator");
  const { sandboxDataDir } = await import("@/lib/sandbox/sandbox-database");
  const embeddedDatabase = !process.env.DATABASE_URL;
  const emulator = !hasAwsCredentials();
  const dataDir = embeddedDatabase ? sandboxDataDir(dir) : null;
  const databaseKept = dataDir !== null && existsSync(path.join(dataDir, "PG_VERSION"));
  const emulatorKept = emulator && emulatorStateExists(dir);
  const mismatch = embeddedDatabase && emulator && databaseKept !== emulatorKept;
  if (!fresh && !mismatch) return databaseKept || emulatorKept ? "kept from the last run" : "new";
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  forgetEmulatorState(dir);
  return fresh ? "started over (--fresh)" : "started over (the database and the emulator's state did not match)";
}

async function runSandbox(options: { awsFrontDoor?: AwsFrontDoor } = {}) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const dir = sandboxDir();
  const unclaim = claimSandbox(dir);
  // Released last, once every service it started has stopped.
  stops.push(async () => unclaim());
  const logs = path.join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  const secrets = loadSecrets(dir);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const url = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  const region = process.env.AWS_REGION ?? "us-east-1";
  const env: Record<string, string> = {
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.nextauthSecret,
    PULLGATE_MASTER_KEY: process.env.PULLGATE_MASTER_KEY ?? secrets.masterKey,
    AWS_REGION: region,
    PULLGATE_IAM_PATH: process.env.PULLGATE_IAM_PATH ?? "/pullgate/",
    PULLGATE_LOGIN_POLICY_NAME: process.env.PULLGATE_LOGIN_POLICY_NAME ?? "AmazonEC2ContainerRegistryLogin",
    PULLGATE_BOUNDARY_POLICY_NAME: process.env.PULLGATE_BOUNDARY_POLICY_NAME ?? "PullgateCustomerBoundary",
    // Quiet by default: warnings and errors only (LOG_LEVEL=info shows every AWS call).
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    // One process serves pages and runs the worker.
    PULLGATE_RUN_WORKER: "true",
    // Webhook receivers run on this machine while trying the sandbox out.
    PULLGATE_WEBHOOK_ALLOWED_HOSTS: process.env.PULLGATE_WEBHOOK_ALLOWED_HOSTS ?? "127.0.0.1,localhost",
    // So are identity providers tried with single sign-on.
    PULLGATE_SSO_ALLOWED_HOSTS: process.env.PULLGATE_SSO_ALLOWED_HOSTS ?? "127.0.0.1,localhost",
  };
  const state = await reconcileKeptState(dir);
  const emulator = await startAws(dir, env, region);
  const aws = emulator && options.awsFrontDoor ? await behindFrontDoor(emulator, options.awsFrontDoor, env, region) : emulator;
  const database = await startDatabase(dir, secrets, logs);
  env.DATABASE_URL = database.url;

  let inboxUrl: string | null = null;
  if (process.env.SMTP_URL) env.SMTP_URL = process.env.SMTP_URL;
  else {
    const { startMailCatcher } = await import("@/lib/sandbox/mail-catcher");
    const mail = await startMailCatcher({
      smtpPort: Number(process.env.PULLGATE_SMTP_PORT) || 0,
      inboxPort: Number(process.env.PULLGATE_INBOX_PORT) || 0,
    });
    stops.push(mail.stop);
    env.SMTP_URL = mail.smtpUrl;
    inboxUrl = mail.inboxUrl;
  }

  Object.assign(process.env, env);
  const { migrateDatabase } = await import("@/lib/sandbox/migrate");
  await migrateDatabase(env.DATABASE_URL);
  const { seedSandbox } = await import("@/lib/sandbox/seed-sandbox");
  const { portalAccount } = await import("@/lib/aws/sts");
  const accountId = aws?.accountId ?? (await portalAccount()).accountId;
  const admin = { email: "admin@pullgate.local", password: secrets.adminPassword };
  await seedSandbox({ admin, apiKey: secrets.apiKey, demo: aws ? { accountId, region } : undefined });
  const { shutdown: closeDb } = await import("@/lib/jobs/shutdown");
  await closeDb();

  const description: SandboxDescription = {
    url,
    admin,
    apiKey: secrets.apiKey,
    mail: { smtpUrl: env.SMTP_URL, inboxUrl },
    aws: {
      endpoint: aws?.endpoint ?? null,
      trail: aws ? { s3Endpoint: aws.s3Endpoint, bucket: aws.cloudTrailBucket } : null,
      region,
      accountId,
      accessKeyId: aws?.portal.accessKeyId ?? "(from your AWS configuration)",
      secretAccessKey: aws?.portal.secretAccessKey ?? "(from your AWS configuration)",
    },
    databaseUrl: env.DATABASE_URL,
    env,
  };
  writeJsonFile(path.join(dir, "sandbox.json"), description);

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  // Next runs its server in a process of its own: every Node process of the app watches its parent.
  const watchParent = `--require "${path.resolve("lib/sandbox/exit-with-parent.cjs")}"`;
  const app = spawnTied(process.execPath, [nextBin, production ? "start" : "dev", "-p", String(port), "-H", host], {
    env: { ...process.env, ...env, NODE_OPTIONS: [process.env.NODE_OPTIONS, watchParent].filter(Boolean).join(" ") },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const shutdown = async (code: number) => {
    app.removeAllListeners("exit");
    await stopChild(app);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  app.once("exit", (code) => {
    console.error(`[sandbox] the app exited (${code}); stopping`);
    void shutdown(code || 1);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void shutdown(0));

  await waitForHttp(`http://${host.includes(":") ? `[${host}]` : host}:${port}/api/health`, 180_000);
  say("");
  say(`Pullgate is running at ${url}`);
  say(`  vendor admin:  ${admin.email} / ${admin.password}`);
  say(`  API key:       ${secrets.apiKey}`);
  if (inboxUrl) say(`  mail inbox:    ${inboxUrl}  (customers' sign-in links arrive here)`);
  say(`  AWS:           ${aws ? `emulator (moto) at ${aws.endpoint}, account ${aws.accountId}${aws.restored ? ", restored" : ""}` : "your configured credentials"}`);
  say(`  database:      ${database.where}`);
  say(`  state:         ${state}; in ${dir} (--fresh starts over)`);
  say(`  details:       ${path.join(dir, "sandbox.json")}; logs in ${logs}`);
  say("");
}

async function behindFrontDoor(aws: SandboxAws, frontDoor: AwsFrontDoor, env: Record<string, string>, region: string): Promise<SandboxAws> {
  const door = await frontDoor(aws, region);
  stops.push(door.stop);
  Object.assign(env, { PULLGATE_AWS_ENDPOINT: door.endpoint, PULLGATE_S3_ENDPOINT: door.s3Endpoint });
  return { ...aws, endpoint: door.endpoint, s3Endpoint: door.s3Endpoint };
}

export function startSandbox(options: { awsFrontDoor?: AwsFrontDoor } = {}) {
  runSandbox(options).catch(async (error: unknown) => {
    console.error(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(1);
  });
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? "")).href) startSandbox();
