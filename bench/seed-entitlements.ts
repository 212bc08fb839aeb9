// The entitlement table at scale, seeded straight into PostgreSQL with SQL: shared by the
// admin dashboard's and the customer download page's benchmarks.
import { Client } from "pg";

export const BENCH_PRODUCTS = 5;

export const benchProductId = (p: number) => `bench-product-${p}`;
export const benchCustomerId = (c: number) => `bench-customer-${c}`;
export const benchUserId = (c: number) => `bench-user-${c}`;
export const benchUserEmail = (c: number) => `buyer${c}@customer${c % 997}.example.com`;

/**
 * Two entitlements per customer over five products, with every status and a spread of dates:
 * customer c holds entitlements 2c-1 and 2c, of two different products, and has one
 * CUSTOMER_OWNER user (without a password). `more` adds the caller's own rows before the
 * planner's statistics are refreshed.
 */
export async function seedEntitlements(url: string, entitlements: number, more: (client: Client) => Promise<void>) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const customers = Math.ceil(entitlements / 2);
  try {
    await client.query(`INSERT INTO "Product" (id, slug, name, "gracePeriodDays", "createdAt", "updatedAt")
      SELECT 'bench-product-' || p, 'bench-' || p, 'Bench product ' || p, 0, now(), now() FROM generate_series(1, $1::int) p`, [BENCH_PRODUCTS]);
    await client.query(`INSERT INTO "Customer" (id, name, "createdAt", "updatedAt")
      SELECT 'bench-customer-' || c, 'Customer ' || c || ' ' || md5(c::text), now() - (c || ' minutes')::interval, now() FROM generate_series(1, $1::int) c`, [customers]);
    await client.query(`INSERT INTO "User" (id, email, role, "customerId", "createdAt", "updatedAt")
      SELECT 'bench-user-' || c, 'buyer' || c || '@customer' || (c % 997) || '.example.com', 'CUSTOMER_OWNER', 'bench-customer-' || c, now(), now() FROM generate_series(1, $1::int) c`, [customers]);
    await client.query(`INSERT INTO "Entitlement" (id, "customerId", "productId", status, "startsAt", "expiresAt", source, "syncStatus", "createdAt", "updatedAt")
      SELECT 'bench-entitlement-' || e,
        'bench-customer-' || (1 + (e - 1) / 2),
        'bench-product-' || (1 + e % $2::int),
        (CASE WHEN e % 10 = 0 THEN 'EXPIRED' WHEN e % 50 = 1 THEN 'REVOKED' WHEN e % 97 = 2 THEN 'SUSPENDED' ELSE 'ACTIVE' END)::"EntitlementStatus",
        now() - ((e % 400) || ' days')::interval,
        now() + (((e * 7919) % 730) - 60 || ' days')::interval,
        'API',
        (CASE WHEN e % 211 = 3 THEN 'FAILED' WHEN e % 173 = 4 THEN 'PENDING' ELSE 'SYNCED' END)::"SyncStatus",
        now() - ((e % 400) || ' days')::interval,
        now()
      FROM generate_series(1, $1::int) e`, [entitlements, BENCH_PRODUCTS]);
    await more(client);
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}
