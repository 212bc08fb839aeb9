import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { within } from "./deadline";
import { SERVER_TSX } from "./server-tsx";

const root = path.resolve(import.meta.dirname, "../..");
export const READY_MARKER = "ENGINE-WORKER-READY";

/**
 * Starts `count` job-engine worker processes with the test's environment plus `env`, and waits
 * until each has registered its workers. `stop` sends SIGTERM and waits for them to exit.
 */
export async function startEngineWorkers(count: number, env: Record<string, string>) {
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const ready = Array.from({ length: count }, () => {
    const child = spawn("npx", [...SERVER_TSX, "tests/support/engine-worker.ts"], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.push(child);
    child.stderr!.on("data", (c: Buffer) => output.push(String(c)));
    return new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (c: Buffer) => (String(c).includes(READY_MARKER) ? resolve() : output.push(String(c))));
      child.once("exit", (code) => reject(new Error(`engine worker exited with ${code}: ${output.join("").slice(-2000)}`)));
    });
  });
  await within(Promise.all(ready), 60_000, "engine workers did not start");
  return {
    output: () => output.join(""),
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", () => resolve());
              process.kill(-child.pid!, "SIGTERM");
              setTimeout(() => {
                try {
                  process.kill(-child.pid!, "SIGKILL");
                } catch {
                  // already gone
                }
              }, 15_000).unref();
            }),
        ),
      );
    },
  };
}
