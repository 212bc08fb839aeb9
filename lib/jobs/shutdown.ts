import { disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { stopJobEngine } from "./boss";

/** Stops the job engine and closes the database pools so a one-off command can exit. */
export async function shutdown() {
  await stopJobEngine();
  await closeLockPool();
  await disconnectDb();
}
