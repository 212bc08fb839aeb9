import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrateDatabase } from "./migrate";

export type ThrowawayDatabase = { url: string; embedded: boolean; drop: () => Promise<void> };

async function onServer(serverUrl: string, sql: string) {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for tests: a new database on the server named by `serverUrl`, or,
 * without one, on an embedded PostgreSQL server started for it (and stopped when it is dropped).
 */
export async function createThrowawayDatabase(label: string, serverUrl: string | undefined): Promise<ThrowawayDatabase> {
  const embedded = serverUrl ? null : await startEmbeddedPostgres({ password: randomBytes(16).toString("hex"), fast: true });
  const server = serverUrl ?? embedded!.url;
  const name = `pullgate_${label}_${process.pid}_${Date.now()}`;
  await onServer(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    embedded: Boolean(embedded),
    drop: async () => {
      await onServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}
