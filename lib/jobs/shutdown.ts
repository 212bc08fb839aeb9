import { disconnectDb } from "@/lib/db";
import { closeLockPool } from "@/lib/provisioning/advisory-lock";

/** Closes the database pools so a one-off command can exit. */
export async function shutdown() {
  await closeLockPool();
  await disconnectDb();
}
