// A job-engine worker process, as `npm run worker` runs it, until SIGTERM:   tsx tests/support/engine-worker.ts
import { runWorker } from "@/lib/worker/run-worker";
import { shutdown } from "@/lib/jobs/shutdown";
import { READY_MARKER } from "./engine-workers";

void runWorker().then(() => {
  process.stdout.write(`${READY_MARKER}\n`);
  process.once("SIGTERM", () => void shutdown().finally(() => process.exit(0)));
});
