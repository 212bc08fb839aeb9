// A long-running job-engine worker (`npm run worker`): provisioning, revocation, expiry and the
// drift audit. Several may run at once.
import { adoptSandboxEnv } from "@/lib/sandbox/sandbox-files";

async function main() {
  adoptSandboxEnv();
  const { runWorker } = await import("@/lib/worker/run-worker");
  const { shutdown } = await import("@/lib/jobs/shutdown");
  await runWorker();
  console.log("worker: running; Ctrl-C to stop");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      await shutdown();
      process.exit(0);
    });
  }
}

void main();
