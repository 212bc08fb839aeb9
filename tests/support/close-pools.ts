import { disconnectDb } from "@/lib/db";
import { stopJobEngine } from "@/lib/jobs/boss";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { sleep } from "./deadline";

/**
 * Closes the job engine, the lock pool and Prisma. The lock pool waits for checked-out connections, so after a
 * test that failed with a hung lock it would block the file's teardown: give it a few seconds.
 */
export async function closePools() {
  await stopJobEngine();
  await Promise.race([closeLockPool(), sleep(5_000)]);
  await disconnectDb();
}
