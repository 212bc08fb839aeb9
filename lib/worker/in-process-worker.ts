import { env } from "@/lib/env";
import { runWorker } from "./run-worker";

/** Runs a worker inside the web server when PULLGATE_RUN_WORKER=true; it stops on SIGTERM. */
export async function startInProcessWorker() {
  if (!env().PULLGATE_RUN_WORKER) return;
  const stop = await runWorker();
  process.once("SIGTERM", () => void stop());
}
