import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { freePort } from "./free-port";

/**
 * PostgreSQL compiled to WebAssembly, served on the wire protocol so Prisma, pg and the
 * migrations use it like any server. One backend session serves every connection.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number } = {}) {
  const db = await PGlite.create(opts.dataDir);
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
