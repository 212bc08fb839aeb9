import { shutdown } from "@/lib/jobs/shutdown";

export const RESULT_MARKER = "WORKER-RESULT ";

/**
 * Runs a worker script's body with the JSON argument from argv, prints its result on one marked
 * line and exits non-zero when it threw or reported failure. The exit is explicit because SDK
 * keep-alive sockets and the mail transport would otherwise keep the process alive.
 */
export function workerMain<A, R extends { ok: boolean }>(body: (arg: A) => Promise<R>) {
  const raw = process.argv[2];
  if (!raw) {
    console.error("usage: tsx <worker> '<json>'");
    process.exit(2);
  }
  body(JSON.parse(raw) as A)
    .then(
      (result) => {
        process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
        return result.ok ? 0 : 1;
      },
      (error: unknown) => {
        console.error(error);
        return 1;
      },
    )
    .then(async (code) => {
      await shutdown().catch(() => undefined);
      process.exit(code);
    });
}
