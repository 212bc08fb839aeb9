// Runs a job-engine worker inside the web server when PULLGATE_RUN_WORKER=true (the sandbox, and
// small installations that run one process). Otherwise run `npm run worker`, as many as needed.
// The worker is Node-only, so it is imported only in the Node.js runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInProcessWorker } = await import("@/lib/worker/in-process-worker");
  await startInProcessWorker();
}
