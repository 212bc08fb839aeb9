// A job-engine worker process, as `npm run worker` runs it, until SIGTERM:   tsx tests/support/engine-worker.ts
import { runWorker } from "@/lib/jobs/run-worker";
import { closeLockPool } from "@/lib/provisioning/advisory-lock";
import { disconnectDb } from "@/lib/db";
import { READY_MARKER } from "./engine-workers";

void runWorker().then((stop) => {
  process.stdout.write(`${READY_MARKER}\n`);
  process.once("SIGTERM", () => {
    void stop()
      .then(() => closeLockPool())
      .then(() => disconnectDb())
      .finally(() => process.exit(0));
  });
});
