import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

function sandboxRunning(pid: number) {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A pid the kernel has handed to another program since does not hold the sandbox.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("sandbox");
  } catch {
    return true;
  }
}

/**
 * Claims the sandbox folder for this process: one sandbox per folder, since both would use the
 * same database files and emulator recordings. The pid file is created exclusively; one left by a
 * sandbox that died (even by SIGKILL) is taken over.
 */
export function claimSandbox(dir: string): () => void {
  const file = path.join(dir, "sandbox.pid");
  for (;;) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (readFileSync(file, "utf8") === String(process.pid)) unlinkSync(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSync(file, "utf8"));
    if (sandboxRunning(holder)) {
      throw new Error(`a sandbox is already running from ${dir} (pid ${holder}); stop it first, or set PULLGATE_SANDBOX_DIR to run another`);
    }
    unlinkSync(file);
  }
}
