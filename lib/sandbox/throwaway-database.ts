import { Client } from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrateDatabase } from "./migrate";

export type ThrowawayDatabase = { url: string; embedded: boolean; drop: () => Promise<void> };

/**
 * A fresh, migrated database for tests: a new database on the server named by `serverUrl`, or,
 * without one, an embedded PostgreSQL (single-session: tests needing concurrency skip there).
 */
export async function createThrowawayDatabase(label: string, serverUrl: string | undefined): Promise<ThrowawayDatabase> {
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    await migrateDatabase(embedded.url);
    return { url: embedded.url, embedded: true, drop: embedded.stop };
  }
  const name = `pullgate_${label}_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return { url: url.toString(), embedded: false, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
