import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { Pool, type PoolClient } from "pg";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";

// Serializes work on one shared AWS object (a repository policy, a customer's IAM user) across
// processes with a PostgreSQL session advisory lock, held on a dedicated connection so it is
// released if the process dies. An in-process queue keeps the same order within one process.

let pool: Pool | undefined;
const localTails = new Map<string, Promise<unknown>>();
// Locks taken inside a locked section (customer, then repository) reuse its connection:
// advisory locks belong to the session, and a second connection per level could exhaust the pool.
const heldConnection = new AsyncLocalStorage<PoolClient>();

function lockPool() {
  pool ??= new Pool({
    connectionString: env().DATABASE_URL,
    max: 10,
    connectionTimeoutMillis: 60_000,
    allowExitOnIdle: true,
  });
  return pool;
}

function lockKey(name: string): [number, number] {
  const digest = createHash("sha256").update(name).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

async function withDatabaseLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const outer = heldConnection.getStore();
  const client = outer ?? (await lockPool().connect());
  const [a, b] = lockKey(name);
  try {
    await client.query("select pg_advisory_lock($1, $2)", [a, b]);
    try {
      return await heldConnection.run(client, fn);
    } finally {
      await client.query("select pg_advisory_unlock($1, $2)", [a, b]);
    }
  } finally {
    if (!outer) client.release();
  }
}

export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = localTails.get(name) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withDatabaseLock(name, fn));
  const tail = run.catch(() => undefined);
  localTails.set(name, tail);
  try {
    return await run;
  } finally {
    if (localTails.get(name) === tail) localTails.delete(name);
  }
}

/**
 * Holds the named lock until the transaction ends, for a check-then-write on rows: others taking it
 * wait, then read what this transaction committed. Take one such lock per transaction, so two never
 * wait on each other.
 */
export async function lockInTransaction(tx: Tx, name: string) {
  const [a, b] = lockKey(name);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${a}::int, ${b}::int)`;
}

export async function closeLockPool() {
  await pool?.end();
  pool = undefined;
}
