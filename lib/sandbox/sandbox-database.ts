import { createHash } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { serverCanEnter, startEmbeddedPostgres } from "./embedded-postgres";

const DATABASE = "pullgate";

/**
 * Where the sandbox's PostgreSQL keeps its files: `<sandbox dir>/postgres`. As root the server
 * runs as the `postgres` OS user, which must be able to pass through the sandbox folder: the
 * folder is opened for passing through (0711; its files stay private), and where an ancestor
 * still shuts that user out (a checkout under /root), the data goes to /var/lib/pullgate instead.
 */
export function sandboxDataDir(sandboxDir: string) {
  if (serverCanEnter(sandboxDir)) return path.join(sandboxDir, "postgres");
  chmodSync(sandboxDir, 0o711);
  if (serverCanEnter(sandboxDir)) return path.join(sandboxDir, "postgres");
  const outside = path.join("/var/lib/pullgate", createHash("sha256").update(sandboxDir).digest("hex").slice(0, 16));
  mkdirSync(outside, { recursive: true, mode: 0o711 });
  return path.join(outside, "postgres");
}

/** The sandbox's embedded PostgreSQL, with its data kept in `dataDir` across starts. */
export async function startSandboxDatabase({ dataDir, password, port, logFile }: { dataDir: string; password: string; port?: number; logFile: string }) {
  const server = await startEmbeddedPostgres({ dataDir, password, port, logFile });
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${DATABASE}`;
  return { url: url.toString(), dataDir: server.dataDir, stop: server.stop };
}
