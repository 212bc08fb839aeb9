import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

const globalForPool = globalThis as unknown as { pullgateEmbeddedPool?: Pool };

/**
 * The embedded database serves every connection on one session, so the application, its job
 * engine and its transactions all share this single connection: a transaction holds it, and
 * nothing else can interleave statements into it.
 */
export function sharedEmbeddedPool() {
  globalForPool.pullgateEmbeddedPool ??= new Pool({ connectionString: env().DATABASE_URL, max: 1 });
  return globalForPool.pullgateEmbeddedPool;
}

function createClient() {
  return new PrismaClient({
    adapter: new PrismaPg(env().PULLGATE_EMBEDDED_DATABASE ? sharedEmbeddedPool() : { connectionString: env().DATABASE_URL, max: 10 }),
    // Secrets are never loaded unless a query asks for them by name.
    omit: {
      user: { passwordHash: true },
      accessKey: { secretCiphertext: true },
      apiKey: { hash: true },
      loginToken: { tokenHash: true },
    },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForPrisma = globalThis as unknown as { pullgateDb?: Db };

export const db: Db = new Proxy({} as Db, {
  // Created on first use so importing this module (e.g. during `next build`) needs no database.
  get(_target, prop) {
    globalForPrisma.pullgateDb ??= createClient();
    const value = Reflect.get(globalForPrisma.pullgateDb, prop);
    return typeof value === "function" ? value.bind(globalForPrisma.pullgateDb) : value;
  },
});

export async function disconnectDb() {
  await globalForPrisma.pullgateDb?.$disconnect();
  globalForPrisma.pullgateDb = undefined;
  const pool = globalForPool.pullgateEmbeddedPool;
  globalForPool.pullgateEmbeddedPool = undefined;
  await pool?.end();
}
