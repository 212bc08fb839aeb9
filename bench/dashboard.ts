// The admin dashboard at scale: N entitlements seeded straight into PostgreSQL, the production
// build serving them, and 20 signed-in admins requesting the entitlement table (with filters,
// search, sorts and deep pages) and the overview at once. Latency is measured at the client on
// the same machine, so it is server time plus queueing on the machine's cores.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { load, signIn } from "./http-load";
import { withProductionServer } from "./production-server";
import { seedEntitlements } from "./seed-entitlements";
import { round } from "./stats";

const CONCURRENCY = 20;
const REQUESTS_PER_PAGE = 300;
const SERIAL_REQUESTS = 90;

const TABLE_PATHS = [
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

export async function dashboardBenchmark(entitlements: number, serverUrl: string | undefined) {
  const database = await createThrowawayDatabase("dashboard", serverUrl);
  const admin = { email: "bench-admin@vendor.example.com", password: randomBytes(12).toString("hex") };
  const passwordHash = await hashPassword(admin.password);
  try {
    const seedStarted = Date.now();
    await seedEntitlements(database.url, entitlements, async (client) => {
      await client.query(`INSERT INTO "User" (id, email, role, "passwordHash", "createdAt", "updatedAt") VALUES ('bench-admin', $1, 'VENDOR_ADMIN', $2, now(), now())`, [
        admin.email,
        passwordHash,
      ]);
    });
    const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);
    return await withProductionServer("dashboard", database, {}, async (base) => {
      const cookie = await signIn(base, admin.email, admin.password);
      const cookies = Array.from({ length: CONCURRENCY }, () => cookie);
      await load(base, { cookies, paths: [...TABLE_PATHS, "/admin"], total: 100 });
      console.error(`dashboard: ${entitlements} entitlements, ${CONCURRENCY} concurrent admins`);
      const table = await load(base, { cookies, paths: TABLE_PATHS, total: REQUESTS_PER_PAGE });
      const overview = await load(base, { cookies, paths: ["/admin"], total: REQUESTS_PER_PAGE });
      // One request at a time: the server's own time per page, without queueing for the cores.
      const serial = {
        entitlements: await load(base, { cookies: [cookie], paths: TABLE_PATHS, total: SERIAL_REQUESTS }),
        overview: await load(base, { cookies: [cookie], paths: ["/admin"], total: SERIAL_REQUESTS }),
      };
      return { entitlements, seedSeconds, concurrency: CONCURRENCY, pages: { entitlements: { paths: TABLE_PATHS, ...table }, overview }, serial };
    });
  } finally {
    await database.drop();
  }
}
