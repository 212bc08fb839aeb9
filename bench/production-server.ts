// The production build (`next start`) serving a benchmark's database, built first when missing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { freePort, waitForHttp } from "@/lib/sandbox/free-port";
import type { ThrowawayDatabase } from "@/lib/sandbox/throwaway-database";

/** CPU time (user + system, ms) used so far by the processes of one process group (Linux /proc). */
function groupCpuMs(group: number) {
  const ticksPerMs = 100 / 1000; // USER_HZ
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // The fields after the command's closing parenthesis: state is 3rd, pgrp 5th, utime 14th, stime 15th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while it was being read.
    }
  }
  return ticks / ticksPerMs;
}

/**
 * Runs `measure` against the server at its base URL, then stops the server; `serverCpuMs` reads
 * the CPU time the server's processes have used so far. `env` adds to (or overrides) the
 * benchmark's own environment.
 */
export async function withProductionServer<T>(
  label: string,
  database: ThrowawayDatabase,
  env: Record<string, string>,
  measure: (base: string, serverCpuMs: () => number) => Promise<T>,
): Promise<T> {
  if (!existsSync(".next/BUILD_ID")) {
    console.error(`${label}: building the production bundle`);
    if (spawnSync("npx", ["next", "build"], { stdio: "inherit" }).status !== 0) throw new Error("next build failed");
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PULLGATE_RUN_WORKER: "false",
      NEXTAUTH_URL: base,
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  try {
    await waitForHttp(`${base}/api/health`, 60_000);
    return await measure(base, () => groupCpuMs(server.pid!));
  } finally {
    if (server.exitCode === null) process.kill(-server.pid!, "SIGTERM");
    await exited;
  }
}
