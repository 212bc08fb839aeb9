import { spawn } from "node:child_process";
import path from "node:path";
import { RESULT_MARKER } from "./worker-main";
import { SERVER_TSX } from "./server-tsx";

export type WorkerRun<R> = { code: number | null; result: R | null; stdout: string; stderr: string; timedOut: boolean };

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Runs `npx tsx tests/support/<script>` (see SERVER_TSX) with the test's environment (plus `env` overrides) and
 * the JSON argument. A worker still running after `timeoutMs` is killed with its process group.
 */
export function runWorker<R>(
  script: string,
  arg: unknown,
  opts: { env?: Record<string, string>; timeoutMs?: number; onStart?: (pid: number) => void } = {},
): Promise<WorkerRun<R>> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", [...SERVER_TSX, path.join("tests/support", script), JSON.stringify(arg)], {
      cwd: root,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    if (child.pid) opts.onStart?.(child.pid);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c).slice(-20_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, opts.timeoutMs ?? 90_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
      const result = line ? (JSON.parse(line.slice(RESULT_MARKER.length)) as R) : null;
      resolve({ code, result, stdout, stderr, timedOut });
    });
  });
}
