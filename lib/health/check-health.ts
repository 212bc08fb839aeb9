import { callerAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";

type Check = { ok: boolean; latencyMs: number; error?: string };

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 5 s")), 5_000))]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** Database and AWS reachability, for load balancers and people. */
export async function checkHealth() {
  const [database, aws] = await Promise.all([timed(() => db.$queryRaw`select 1`), timed(() => callerAccount())]);
  return { ok: database.ok && aws.ok, database, aws };
}
