import { disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/provisioning/advisory-lock";
import { sleep } from "./deadline";

/**
 * Closes the lock pool and Prisma. The lock pool waits for checked-out connections, so after a
 * test that failed with a hung lock it would block the file's teardown: give it a few seconds.
 */
export async function closePools() {
  await Promise.race([closeLockPool(), sleep(5_000)]);
  await disconnectDb();
}
