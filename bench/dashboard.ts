// The admin dashboard at scale: N entitlements seeded straight into PostgreSQL, the production
// build serving them, and 20 signed-in admins requesting the entitlement table (with filters,
// search, sorts and deep pages) and the overview at once. Latency is measured at the client on
// the same machine, so it is server time plus queueing on the machine's cores.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { hashPassword } from "@/lib/auth/password";
import { freePort, waitForHttp } from "@/lib/sandbox/free-port";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { percentile, round } from "./stats";

const CONCURRENCY = 20;
const REQUESTS_PER_PAGE = 300;
const SERIAL_REQUESTS = 90;

/** Two entitlements per customer over five products, with every status and a spread of dates. */
async function seed(url: string, entitlements: number, admin: { email: string; passwordHash: string }) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const customers = Math.ceil(entitlements / 2);
  try {
    await client.query(`INSERT INTO "Product" (id, slug, name, "gracePeriodDays", "createdAt", "updatedAt")
      SELECT 'bench-product-' || p, 'bench-' || p, 'Bench product ' || p, 0, now(), now() FROM generate_series(1, 5) p`);
    await client.query(`INSERT INTO "Customer" (id, name, "createdAt", "updatedAt")
      SELECT 'bench-customer-' || c, 'Customer ' || c || ' ' || md5(c::text), now() - (c || ' minutes')::interval, now() FROM generate_series(1, $1::int) c`, [customers]);
    await client.query(`INSERT INTO "User" (id, email, role, "customerId", "createdAt", "updatedAt")
      SELECT 'bench-user-' || c, 'buyer' || c || '@customer' || (c % 997) || '.example.com', 'CUSTOMER_OWNER', 'bench-customer-' || c, now(), now() FROM generate_series(1, $1::int) c`, [customers]);
    await client.query(`INSERT INTO "Entitlement" (id, "customerId", "productId", status, "startsAt", "expiresAt", source, "syncStatus", "createdAt", "updatedAt")
      SELECT 'bench-entitlement-' || e,
        'bench-customer-' || (1 + (e - 1) / 2),
        'bench-product-' || (1 + e % 5),
        (CASE WHEN e % 10 = 0 THEN 'EXPIRED' WHEN e % 50 = 1 THEN 'REVOKED' WHEN e % 97 = 2 THEN 'SUSPENDED' ELSE 'ACTIVE' END)::"EntitlementStatus",
        now() - ((e % 400) || ' days')::interval,
        now() + (((e * 7919) % 730) - 60 || ' days')::interval,
        'API',
        (CASE WHEN e % 211 = 3 THEN 'FAILED' WHEN e % 173 = 4 THEN 'PENDING' ELSE 'SYNCED' END)::"SyncStatus",
        now() - ((e % 400) || ' days')::interval,
        now()
      FROM generate_series(1, $1::int) e`, [entitlements]);
    await client.query(`INSERT INTO "User" (id, email, role, "passwordHash", "createdAt", "updatedAt") VALUES ('bench-admin', $1, 'VENDOR_ADMIN', $2, now(), now())`, [
      admin.email,
      admin.passwordHash,
    ]);
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

/** Signs in through the password provider as a browser would, returning the session cookie. */
async function signIn(base: string, email: string, password: string) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.includes("session-token"));
  if (!session) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return session;
}

/** `clients` clients request the paths in turn until `total` responses; every one must be a 200 page. */
async function load(base: string, cookie: string, paths: string[], total: number, clients = CONCURRENCY) {
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    for (let i = next++; i < total; i = next++) {
      const path = paths[i % paths.length]!;
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
      const body = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== 200 || !body.includes("</html>")) throw new Error(`${path}: HTTP ${response.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    p50Ms: round(percentile(latencies, 50), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    perSecond: round(latencies.length / seconds, 1),
  };
}

export async function dashboardBenchmark(entitlements: number, serverUrl: string | undefined) {
  if (!existsSync(".next/BUILD_ID")) {
    console.error("dashboard: building the production bundle");
    if (spawnSync("npx", ["next", "build"], { stdio: "inherit" }).status !== 0) throw new Error("next build failed");
  }
  const database = await createThrowawayDatabase("dashboard", serverUrl);
  const admin = { email: "bench-admin@vendor.example.com", password: randomBytes(12).toString("hex") };
  const seedStarted = Date.now();
  await seed(database.url, entitlements, { email: admin.email, passwordHash: await hashPassword(admin.password) });
  const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PULLGATE_EMBEDDED_DATABASE: String(database.embedded),
      PULLGATE_RUN_WORKER: "false",
      NEXTAUTH_URL: base,
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    await waitForHttp(`${base}/api/health`, 60_000);
    const cookie = await signIn(base, admin.email, admin.password);
    const tablePaths = [
      "/admin/entitlements",
      "/admin/entitlements?page=900",
      "/admin/entitlements?status=active",
      "/admin/entitlements?status=failed",
      "/admin/entitlements?expiring=30&sort=expires-soonest",
      "/admin/entitlements?product=bench-3&sort=customer",
      "/admin/entitlements?q=Customer%2012345",
      "/admin/entitlements?q=buyer4711%40customer",
      "/admin/entitlements?status=expired&sort=expires-latest&page=20",
    ];
    await load(base, cookie, [...tablePaths, "/admin"], 100);
    console.error(`dashboard: ${entitlements} entitlements, ${CONCURRENCY} concurrent admins`);
    const table = await load(base, cookie, tablePaths, REQUESTS_PER_PAGE);
    const overview = await load(base, cookie, ["/admin"], REQUESTS_PER_PAGE);
    // One request at a time: the server's own time per page, without queueing for the cores.
    const serial = {
      entitlements: await load(base, cookie, tablePaths, SERIAL_REQUESTS, 1),
      overview: await load(base, cookie, ["/admin"], SERIAL_REQUESTS, 1),
    };
    return { entitlements, seedSeconds, concurrency: CONCURRENCY, pages: { entitlements: { paths: tablePaths, ...table }, overview }, serial };
  } finally {
    process.kill(-server.pid!, "SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await database.drop();
  }
}
