import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { freePort } from "./free-port";

/**
 * PostgreSQL compiled to WebAssembly, served on the wire protocol so Prisma, pg and the
 * migrations use it like any server. One backend session serves every connection.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number } = {}) {
  // Extensions the migrations create must be compiled in; these are the ones they use.
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { pg_trgm } });
  const port = opts.port ?? (await freePort());
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 20 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
