// Runs a job-engine worker inside the web server when PULLGATE_RUN_WORKER=true (the sandbox, and
// small installations that run one process). Otherwise run `npm run worker`, as many as needed.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.PULLGATE_RUN_WORKER !== "true") return;
  const { runWorker } = await import("@/lib/jobs/run-worker");
  const stop = await runWorker();
  process.once("SIGTERM", () => void stop());
}
