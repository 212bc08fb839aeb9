import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";

let setprivPath: string | null | undefined;

function setpriv() {
  setprivPath ??= spawnSync("sh", ["-c", "command -v setpriv"], { encoding: "utf8" }).stdout.trim() || null;
  return setprivPath;
}

/**
 * Spawns a service the sandbox owns so that it dies with this process, even when this process is
 * killed with SIGKILL and has no chance to stop it: on Linux the child starts under
 * `setpriv --pdeathsig KILL`, which asks the kernel to send it SIGKILL when its parent dies.
 * (Elsewhere it is spawned plainly and only an orderly stop ends it.)
 */
export function spawnTied(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const wrapper = setpriv();
  return wrapper ? spawn(wrapper, ["--pdeathsig", "KILL", "--", command, ...args], options) : spawn(command, args, options);
}

/** Stops a child with `signal` and resolves once it has exited (SIGKILL after `graceMs`). */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 15_000) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
