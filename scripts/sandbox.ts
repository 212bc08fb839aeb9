// `npm run dev`: the product with embedded defaults. Without DATABASE_URL an embedded PostgreSQL,
// without AWS credentials a local AWS emulator (moto, auth enforced) bootstrapped like a vendor
// account, without SMTP_URL a local mail catcher. Anything configured is used as it is.
// `--start` serves the production build (`next build` first) instead of the dev server;
// `--fresh-database` puts the data in a new database on the DATABASE_URL server, dropped on exit.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/lib/sandbox/free-port";
import { readJsonFile, sandboxDir, writeJsonFile, type SandboxDescription } from "@/lib/sandbox/sandbox-files";

type Secrets = { nextauthSecret: string; masterKey: string; adminPassword: string; apiKey: string };

const production = process.argv.includes("--start");
const freshDatabase = process.argv.includes("--fresh-database");
const stops: (() => Promise<void>)[] = [];
const say = (line: string) => console.log(`[sandbox] ${line}`);

function loadSecrets(dir: string): Secrets {
  const file = path.join(dir, "secrets.json");
  const secrets = readJsonFile<Secrets>(file) ?? {
    nextauthSecret: randomBytes(32).toString("base64url"),
    masterKey: randomBytes(32).toString("base64"),
    adminPassword: randomBytes(12).toString("base64url"),
    apiKey: `pgk_${randomBytes(32).toString("base64url")}`,
  };
  writeJsonFile(file, secrets);
  return secrets;
}

async function startAws(env: Record<string, string>, region: string) {
  const hasCredentials = Boolean(
    process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || process.env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
  if (hasCredentials) {
    say("AWS: using the configured credentials (no emulator started)");
    return null;
  }
  const { startMotoServer, MOTO_INSTALL_HINT, motoAvailable } = await import("@/lib/sandbox/moto-server");
  if (!motoAvailable()) {
    console.error(`[sandbox] ${MOTO_INSTALL_HINT}`);
    process.exit(1);
  }
  const { bootstrapEmulator, EMULATOR_CLOUDTRAIL_BUCKET } = await import("@/lib/aws/emulator-bootstrap");
  const { vendorAdmin } = await import("@/lib/aws/vendor-admin");
  const { DEMO_PRODUCT, DEMO_SPARE_REPOSITORIES } = await import("@/lib/sandbox/seed-sandbox");
  const moto = await startMotoServer({ port: Number(process.env.PULLGATE_MOTO_PORT) || undefined });
  stops.push(moto.stop);
  // S3 for the CloudTrail bucket, served apart (see startMotoServer).
  const s3 = await startMotoServer({ unauthenticated: true });
  stops.push(s3.stop);
  const aws = await bootstrapEmulator({
    endpoint: moto.endpoint,
    region,
    iamPath: env.PULLGATE_IAM_PATH!,
    loginPolicyName: env.PULLGATE_LOGIN_POLICY_NAME!,
    boundaryPolicyName: env.PULLGATE_BOUNDARY_POLICY_NAME!,
    repositories: [
      ...DEMO_PRODUCT.repositories.map((r, i) => ({
        ...r,
        // The vendor's own CI statement shows that Pullgate keeps statements it does not own.
        foreignStatement:
          i === 0
            ? { Sid: "VendorCiPush", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: ["ecr:PutImage"] }
            : undefined,
      })),
      ...DEMO_SPARE_REPOSITORIES,
    ],
  });
  const trail = vendorAdmin({ endpoint: moto.endpoint, s3Endpoint: s3.endpoint, region, accountId: aws.accountId, credentials: aws.admin });
  await trail.createBucket(EMULATOR_CLOUDTRAIL_BUCKET);
  trail.destroy();
  Object.assign(env, {
    PULLGATE_S3_ENDPOINT: s3.endpoint,
    PULLGATE_CLOUDTRAIL_BUCKET: EMULATOR_CLOUDTRAIL_BUCKET,
    PULLGATE_AWS_ENDPOINT: moto.endpoint,
    AWS_ACCESS_KEY_ID: aws.portal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.portal.secretAccessKey,
  });
  say(`AWS emulator (moto) at ${moto.endpoint}, account ${aws.accountId}; the portal signs in as its least-privilege user`);
  return { endpoint: moto.endpoint, s3Endpoint: s3.endpoint, cloudTrailBucket: EMULATOR_CLOUDTRAIL_BUCKET, accountId: aws.accountId, ...aws.portal };
}

async function main() {
  const dir = sandboxDir();
  const secrets = loadSecrets(dir);
  const port = Number(process.env.PORT ?? 3000);
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
    NEXT_TELEMETRY_DISABLED: "1",
    // One process serves pages and runs the worker, so the embedded database has one client.
    PULLGATE_RUN_WORKER: "true",
  };

  const aws = await startAws(env, region);

  if (process.env.DATABASE_URL && freshDatabase) {
    const { createThrowawayDatabase } = await import("@/lib/sandbox/throwaway-database");
    const database = await createThrowawayDatabase("sandbox", process.env.DATABASE_URL);
    stops.push(database.drop);
    env.DATABASE_URL = database.url;
    say(`database: new database ${new URL(database.url).pathname.slice(1)} on the DATABASE_URL server`);
  } else if (process.env.DATABASE_URL) {
    env.DATABASE_URL = process.env.DATABASE_URL;
    say("database: using DATABASE_URL");
  } else {
    const dataDir = path.join(dir, "pglite");
    // The emulator starts empty, so the database that described its users starts empty too.
    if (aws) rmSync(dataDir, { recursive: true, force: true });
    const { startEmbeddedPostgres } = await import("@/lib/sandbox/embedded-postgres");
    const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.PULLGATE_PG_PORT) || undefined });
    stops.push(pg.stop);
    env.DATABASE_URL = pg.url;
    env.PULLGATE_EMBEDDED_DATABASE = "true";
    say(`database: embedded PostgreSQL at ${pg.url}`);
  }

  let inboxUrl: string | null = null;
  if (process.env.SMTP_URL) env.SMTP_URL = process.env.SMTP_URL;
  else {
    const { startMailCatcher } = await import("@/lib/sandbox/mail-catcher");
    const mail = await startMailCatcher({
      smtpPort: Number(process.env.PULLGATE_SMTP_PORT) || (await freePort()),
      inboxPort: Number(process.env.PULLGATE_INBOX_PORT) || (await freePort()),
    });
    stops.push(mail.stop);
    env.SMTP_URL = mail.smtpUrl;
    inboxUrl = mail.inboxUrl;
    say(`mail: caught locally, inbox at ${inboxUrl}`);
  }

  Object.assign(process.env, env);
  const { migrateDatabase } = await import("@/lib/sandbox/migrate");
  await migrateDatabase(env.DATABASE_URL!);
  const { seedSandbox } = await import("@/lib/sandbox/seed-sandbox");
  const { portalAccountId } = await import("@/lib/aws/sts");
  const accountId = aws?.accountId ?? (await portalAccountId());
  const admin = { email: "admin@pullgate.local", password: secrets.adminPassword };
  await seedSandbox({ admin, apiKey: secrets.apiKey, demo: aws ? { accountId, region } : undefined });

  const description: SandboxDescription = {
    url,
    admin,
    apiKey: secrets.apiKey,
    mail: { smtpUrl: env.SMTP_URL!, inboxUrl },
    aws: {
      endpoint: aws?.endpoint ?? null,
      trail: aws ? { s3Endpoint: aws.s3Endpoint, bucket: aws.cloudTrailBucket } : null,
      region,
      accountId,
      accessKeyId: aws?.accessKeyId ?? "(from your AWS configuration)",
      secretAccessKey: aws?.secretAccessKey ?? "(from your AWS configuration)",
    },
    databaseUrl: env.DATABASE_URL!,
    env,
  };
  writeJsonFile(path.join(dir, "sandbox.json"), description);

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const { shutdown: closeDb } = await import("@/lib/jobs/shutdown");
  await closeDb();
  const app = spawn(process.execPath, [nextBin, production ? "start" : "dev", "-p", String(port)], {
    env: { ...process.env, ...env },
    stdio: "inherit",
  });

  say("");
  say(`Pullgate is starting at ${url}`);
  say(`  vendor admin:  ${admin.email} / ${admin.password}`);
  say(`  API key:       ${secrets.apiKey}`);
  if (inboxUrl) say(`  mail inbox:    ${inboxUrl}  (customers' sign-in links arrive here)`);
  say(`  details:       ${path.join(dir, "sandbox.json")}`);
  say("");

  const shutdown = async (code: number) => {
    app.removeAllListeners("exit");
    await stopChild(app);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  app.once("exit", (code) => void shutdown(code ?? 1));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void shutdown(0));
}

function stopChild(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

main().catch(async (error: unknown) => {
  console.error(`[sandbox] failed to start: ${(error as Error).stack ?? error}`);
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(1);
});
