import { spawn, spawnSync } from "node:child_process";
import { EMULATOR_UNAUTHENTICATED_CALLS } from "@/lib/aws/emulator-bootstrap";
import { freePort, waitForHttp } from "./free-port";

export const MOTO_INSTALL_HINT =
  "moto is not installed. Install the AWS emulator with: pip install 'moto[server]'  (Python 3.9+), " +
  "or set AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE) to use real AWS.";

export function motoAvailable(python = "python3") {
  return spawnSync(python, ["-c", "import moto.server"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts moto server on loopback with authentication enforced after the first
 * EMULATOR_UNAUTHENTICATED_CALLS requests (those bootstrap an administrator). `unauthenticated`
 * serves S3 for CloudTrail logs: moto 5 miscomputes the signature of any S3 listing whose prefix
 * holds a slash, so there it cannot check signatures at all.
 */
export async function startMotoServer(opts: { port?: number; python?: string; unauthenticated?: boolean } = {}) {
  const python = opts.python ?? "python3";
  if (!motoAvailable(python)) throw new Error(MOTO_INSTALL_HINT);
  const port = opts.port ?? (await freePort());
  const child = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: opts.unauthenticated ? process.env : { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: String(EMULATOR_UNAUTHENTICATED_CALLS) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`moto server exited (${code}): ${stderr}`))),
  );
  // moto's own dashboard route answers without counting as an AWS request.
  await Promise.race([waitForHttp(`${endpoint}/moto-api/`), exited]);
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
