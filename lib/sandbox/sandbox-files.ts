import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Where the sandbox keeps its state: `.pullgate/` unless PULLGATE_SANDBOX_DIR says otherwise.
 * Others may pass through (0711: an embedded PostgreSQL run as its own OS user keeps its data
 * below) but not list it; the files inside are the owner's alone.
 */
export function sandboxDir() {
  const dir = path.resolve(process.env.PULLGATE_SANDBOX_DIR ?? ".pullgate");
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  return dir;
}

export function readJsonFile<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

export function writeJsonFile(file: string, value: unknown) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

export type SandboxDescription = {
  url: string;
  admin: { email: string; password: string };
  apiKey: string;
  mail: { smtpUrl: string; inboxUrl: string | null };
  aws: {
    endpoint: string | null;
    /** The emulator's S3 and the bucket its CloudTrail logs would go to (none against real AWS). */
    trail: { s3Endpoint: string; bucket: string } | null;
    region: string;
    accountId: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
  databaseUrl: string;
  /** The environment the app runs with, so one-off commands (e.g. the revocation job) can join in. */
  env: Record<string, string>;
};

/**
 * Lets `npm run job:revoke-expired` and `npm run worker` reach a running sandbox: variables the
 * sandbox set are applied unless the environment already sets them.
 */
export function adoptSandboxEnv() {
  const file = path.join(path.resolve(process.env.PULLGATE_SANDBOX_DIR ?? ".pullgate"), "sandbox.json");
  if (process.env.DATABASE_URL) return;
  const sandbox = readJsonFile<SandboxDescription>(file);
  if (!sandbox) return;
  for (const [key, value] of Object.entries(sandbox.env)) process.env[key] ??= value;
}
