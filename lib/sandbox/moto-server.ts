import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { emulatorUnauthenticatedCalls } from "@/lib/aws/emulator-bootstrap";
import { freePort, waitForHttp } from "./free-port";
import { spawnTied, stopChild } from "./tied-child";

export const MOTO_INSTALL_HINT =
  "moto is not installed. Install the AWS emulator with: pip install 'moto[server]'  (Python 3.9+), " +
  "or set AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE) to use real AWS.";

// moto's random ids and secrets come from one generator; seeding it the same way before the same
// requests brings back the same access key ids and secrets.
const RANDOM_SEED = 20_151_217;

export function motoAvailable(python = "python3") {
  return spawnSync(python, ["-c", "import moto.server"], { stdio: "ignore" }).status === 0;
}

async function motoApi(endpoint: string, route: string) {
  const response = await fetch(`${endpoint}/moto-api/${route}`, { method: "POST" });
  if (!response.ok) throw new Error(`moto ${route} answered ${response.status}: ${await response.text()}`);
}

export type MotoOptions = {
  port?: number;
  python?: string;
  unauthenticated?: boolean;
  /** How many accounts besides the first the bootstrap gives an administrator (its `otherAccountIds`). */
  otherAccounts?: number;
  /**
   * A file of every request this emulator has served. Requests found there are replayed on start
   * (moto keeps its state in memory only), and each new one is appended, so the emulator comes
   * back as it was, with the same ids and secrets.
   */
  recording?: string;
};

/**
 * Starts moto server on loopback with authentication enforced after the first
 * emulatorUnauthenticatedCalls requests (those bootstrap an administrator in each account). `unauthenticated`
 * serves S3 for CloudTrail logs: moto 5 miscomputes the signature of any S3 listing whose prefix
 * holds a slash, so there it cannot check signatures at all.
 */
export async function startMotoServer(opts: MotoOptions = {}) {
  const python = opts.python ?? "python3";
  if (!motoAvailable(python)) throw new Error(MOTO_INSTALL_HINT);
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!opts.unauthenticated) env.INITIAL_NO_AUTH_ACTION_COUNT = String(emulatorUnauthenticatedCalls(opts.otherAccounts));
  if (opts.recording) env.MOTO_RECORDER_FILEPATH = opts.recording;
  // moto.server, with IAM conditions read as AWS reads them (see the script).
  const launcher = path.join(process.cwd(), "lib/sandbox/moto-server.py");
  const child = spawnTied(python, [launcher, "-H", "127.0.0.1", "-p", String(port)], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`moto server exited (${code}): ${stderr}`))),
  );
  // moto's own dashboard route answers without counting as an AWS request.
  await Promise.race([waitForHttp(`${endpoint}/moto-api/`), exited]);
  let replayed = false;
  if (opts.recording) {
    await motoApi(endpoint, `seed?a=${RANDOM_SEED}`);
    replayed = existsSync(opts.recording) && statSync(opts.recording).size > 0;
    // The replay is not recorded again; recording starts after it.
    if (replayed) await motoApi(endpoint, "recorder/replay-recording");
    await motoApi(endpoint, "recorder/start-recording");
  }
  return { endpoint, port, replayed, stop: () => stopChild(child) };
}
