import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SandboxDescription } from "@/lib/sandbox/sandbox-files";

export type RunningSandbox = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/**
 * `npm run dev` as a new user runs it: no DATABASE_URL, no AWS credentials, no SMTP_URL, so
 * every service is the embedded one; only its folder and ports are its own.
 */
export function startSandbox(dir: string, port: number, args: string[] = []): RunningSandbox {
  const env: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, PULLGATE_SANDBOX_DIR: dir, PORT: String(port) };
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/sandbox.ts", ...args], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c));
  child.stderr.on("data", (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves with the banner once the sandbox says it is running; rejects if it exits first. */
export async function bannerOf(sandbox: RunningSandbox, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void sandbox.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    const output = sandbox.output();
    const start = output.indexOf("Pullgate is running");
    if (start >= 0 && output.includes("details:", start)) return output.slice(start);
    if (exitCode !== undefined) throw new Error(`the sandbox exited (${exitCode}) before it was running:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the sandbox did not start within ${timeoutMs / 1000} s:\n${sandbox.output()}`);
}

export const describeSandbox = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, "sandbox.json"), "utf8")) as SandboxDescription;

/** A process's state letter and parent pid from /proc, or null once it is gone. */
function processStat(pid: number) {
  try {
    // The command name may hold spaces and parentheses: the fields after the last ")" are plain.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, parent: Number(parent) };
  } catch {
    return null;
  }
}

/** Every process below `pid`, read from /proc. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const stat = /^\d+$/.test(entry) ? processStat(Number(entry)) : null;
    if (stat) parentOf.set(Number(entry), stat.parent);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent !== current) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The pids still running (a zombie has ended: only its parent has not reaped it yet). */
export function alive(pids: number[]) {
  return pids.filter((pid) => {
    const stat = processStat(pid);
    return stat !== null && stat.state !== "Z";
  });
}

/** Asks the emulator for a registry token with the AWS CLI, as the customer would: "ok" or the error. */
export function registryLogin(endpoint: string, key: { accessKeyId: string; secretAccessKey: string }) {
  // Only the key: no profile or configuration of this machine's may help it.
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  const result = spawnSync("aws", ["ecr", "get-login-password", "--region", "us-east-1", "--endpoint-url", endpoint], {
    encoding: "utf8",
    env: env as NodeJS.ProcessEnv,
  });
  return result.status === 0 && result.stdout.trim().length > 0 ? "ok" : result.stderr.trim();
}
