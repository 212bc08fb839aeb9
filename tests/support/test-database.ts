import { Client } from "pg";
import { startEmbeddedPostgres } from "@/lib/sandbox/embedded-postgres";
import { migrateDatabase } from "@/lib/sandbox/migrate";

export type TestDatabase = { url: string; embedded: boolean; drop: () => Promise<void> };

/**
 * A fresh, migrated database: a new database on the server named by DATABASE_URL, or, without
 * one, an embedded PostgreSQL (single-session, so tests that need real concurrency skip there).
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres();
    await migrateDatabase(embedded.url);
    return { url: embedded.url, embedded: true, drop: embedded.stop };
  }
  const name = `pullgate_${label}_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    embedded: false,
    drop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
