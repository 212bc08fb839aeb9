import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

const SERVER_POOL_SIZE = 10;

/**
 * The server pool. A session left idle inside a transaction is ended by PostgreSQL after a minute
 * (the pool then replaces the connection) rather than holding its connection forever.
 */
function serverPool() {
  const pool = new Pool({
    connectionString: env().DATABASE_URL,
    max: SERVER_POOL_SIZE,
    options: "-c idle_in_transaction_session_timeout=60000",
  });
  pool.on("error", (error) => log().warn({ err: error }, "database connection lost; the pool replaces it"));
  return pool;
}

function createClient() {
  return new PrismaClient({
    adapter: new PrismaPg(serverPool()),
    transactionOptions: { maxWait: 10_000 },
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

const globalForPrisma = globalThis as unknown as { pullgateDb?: Db; pullgateTxSlots?: Slots };

type Slots = <T>(work: () => Promise<T>) => Promise<T>;

/** At most `count` callers inside `work` at once; the rest wait their turn in order. */
function slots(count: number): Slots {
  let free = count;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Interactive transactions wait for a slot here, not inside the query engine: when the engine's
 * wait for a pooled connection times out while BEGIN is in flight, it can leave that connection
 * inside an open transaction (prisma/orm#29719), and a burst of purchases then exhausts the pool.
 * Two connections stay free for plain queries.
 */
function transactionSlots(): Slots {
  globalForPrisma.pullgateTxSlots ??= slots(SERVER_POOL_SIZE - 2);
  return globalForPrisma.pullgateTxSlots;
}

export const db: Db = new Proxy({} as Db, {
  // Created on first use so importing this module (e.g. during `next build`) needs no database.
  get(_target, prop) {
    const client = (globalForPrisma.pullgateDb ??= createClient());
    if (prop === "$transaction") {
      const transaction = client.$transaction.bind(client) as (arg: unknown, options?: unknown) => Promise<unknown>;
      return (arg: unknown, options?: unknown) =>
        typeof arg === "function" ? transactionSlots()(() => transaction(arg, options)) : transaction(arg, options);
    }
    const value = Reflect.get(client, prop);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** A write refused by a unique constraint: someone else got there first. */
export function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function disconnectDb() {
  await globalForPrisma.pullgateDb?.$disconnect();
  globalForPrisma.pullgateDb = undefined;
}
