// The customer download page at scale: N entitlements seeded straight into PostgreSQL, the
// production build serving them with the AWS emulator behind it, and 50 customers, each signed in
// as itself, requesting /portal at once. Every one of them sees the page's full state: two
// active, synced products whose repositories hold images in the emulator, a live IAM user and an
// active access key (its secret already shown once), pull instructions and the key's activity.
// Then the first-load JavaScript of the page, as Chromium downloads it.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { hashPassword } from "@/lib/auth/password";
import { vendorAdmin, type Credentials } from "@/lib/aws/vendor-admin";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { load, signIn } from "./http-load";
import { withProductionServer } from "./production-server";
import { BENCH_PRODUCTS, benchCustomerId, benchProductId, benchUserEmail, benchUserId, seedEntitlements } from "./seed-entitlements";
import { round } from "./stats";

const CUSTOMERS = 50;
const REQUESTS = 600;
const SERIAL_REQUESTS = 100;
const REPOSITORIES_PER_PRODUCT = 2;
const TAGS = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0"];
const IAM_PATH = "/pullgate/";

export type Emulator = { endpoint: string; region: string; accountId: string; admin: Credentials; portal: Credentials };

type PortalCustomer = { n: number; email: string; password: string; userName: string; arn: string; userId: string; accessKeyId: string };

/** Customers spread over the whole table (1, 1001, 2001, … at 100,000 entitlements). */
function customerNumbers(entitlements: number) {
  const step = Math.max(1, Math.floor(Math.ceil(entitlements / 2) / CUSTOMERS));
  return Array.from({ length: CUSTOMERS }, (_, k) => 1 + k * step);
}

/** The vendor's repositories with images, and each bench customer's IAM user with an access key. */
async function prepareEmulator(aws: Emulator, numbers: number[]) {
  const admin = vendorAdmin({ endpoint: aws.endpoint, region: aws.region, accountId: aws.accountId, credentials: aws.admin });
  try {
    const repositories = Array.from({ length: BENCH_PRODUCTS * REPOSITORIES_PER_PRODUCT }, (_, i) => ({
      product: 1 + Math.floor(i / REPOSITORIES_PER_PRODUCT),
      name: `bench-${1 + Math.floor(i / REPOSITORIES_PER_PRODUCT)}/image-${1 + (i % REPOSITORIES_PER_PRODUCT)}`,
    }));
    for (const r of repositories) await admin.createRepository(r.name, { tags: TAGS });
    const customers = await Promise.all(
      numbers.map(async (n): Promise<PortalCustomer> => {
        const userName = `pullgate-${benchCustomerId(n)}-1`;
        const user = await admin.createUser(userName, IAM_PATH);
        const accessKeyId = await admin.createAccessKey(userName);
        return { n, email: benchUserEmail(n), password: randomBytes(12).toString("hex"), userName, ...user, accessKeyId };
      }),
    );
    return { repositories, customers };
  } finally {
    admin.destroy();
  }
}

/** The measured page, with everything that shows it rendered in full. */
function fullPageMarkers(customer: PortalCustomer) {
  return ["Your access key", customer.accessKeyId, "Pull instructions", "docker pull ", `data-testid="key-usage-${customer.accessKeyId}"`];
}

/** Every script the page downloads, gzipped at zlib's default level as a server would send it. */
async function firstLoadJavaScript(base: string, cookie: string, marker: string) {
  const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext();
    const split = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, split), value: cookie.slice(split + 1), url: base }]);
    const page = await context.newPage();
    const scripts: Promise<{ path: string; rawBytes: number; gzipBytes: number }>[] = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (response.request().resourceType() !== "script" && !url.pathname.endsWith(".js")) return;
      scripts.push(response.body().then((body) => ({ path: url.pathname, rawBytes: body.length, gzipBytes: gzipSync(body).length })));
    });
    const response = await page.goto(`${base}/portal`, { waitUntil: "networkidle" });
    if (response?.status() !== 200 || new URL(page.url()).pathname !== "/portal") throw new Error(`first load: HTTP ${response?.status()} at ${page.url()}`);
    await page.getByText(marker).first().waitFor();
    const chunks = (await Promise.all(scripts)).sort((a, b) => b.gzipBytes - a.gzipBytes);
    // The flight data and bootstrap inline in the HTML: not downloads, shown for comparison.
    const inline = (await page.$$eval("script:not([src])", (nodes) => nodes.map((n) => n.textContent ?? ""))).join("");
    const kB = (bytes: number) => round(bytes / 1000, 1);
    return {
      scripts: chunks.length,
      gzipKB: kB(chunks.reduce((sum, c) => sum + c.gzipBytes, 0)),
      rawKB: kB(chunks.reduce((sum, c) => sum + c.rawBytes, 0)),
      largest: chunks.slice(0, 5).map((c) => ({ path: c.path, gzipKB: kB(c.gzipBytes), rawKB: kB(c.rawBytes) })),
      inlineScripts: { gzipKB: kB(gzipSync(inline).length), rawKB: kB(Buffer.byteLength(inline)) },
    };
  } finally {
    await browser.close();
  }
}

/** N entitlements, and the bench customers' full state in the database and in the emulator. */
export async function seedPortal(url: string, entitlements: number, aws: Emulator) {
  const { repositories, customers } = await prepareEmulator(aws, customerNumbers(entitlements));
  const hashes = await Promise.all(customers.map((c) => hashPassword(c.password)));
  await seedEntitlements(url, entitlements, async (client) => {
    await client.query(
      `INSERT INTO "Repository" (id, "productId", "accountId", region, name, "syncedAt", "createdAt")
       SELECT 'bench-repository-' || r.i, r.product, $3, $4, r.name, now(), now() FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(product, name, i)`,
      [repositories.map((r) => benchProductId(r.product)), repositories.map((r) => r.name), aws.accountId, aws.region],
    );
    await client.query(
      `UPDATE "User" SET "passwordHash" = u.hash FROM unnest($1::text[], $2::text[]) AS u(id, hash) WHERE "User".id = u.id`,
      [customers.map((c) => benchUserId(c.n)), hashes],
    );
    const ids = customers.map((c) => benchCustomerId(c.n));
    await client.query(
      `UPDATE "Entitlement" SET status = 'ACTIVE', "syncStatus" = 'SYNCED', "syncedAt" = now(), "expiresAt" = now() + interval '200 days'
       WHERE "customerId" = ANY($1::text[])`,
      [ids],
    );
    await client.query(
      `INSERT INTO "AwsIdentity" (id, "customerId", "liveFor", "accountId", "userName", arn, "userId", status, "createdAt")
       SELECT 'bench-identity-' || i."customerId", i."customerId", i."customerId", $5, i."userName", i.arn, i."userId", 'ACTIVE', now() - interval '2 days'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS i("customerId", "userName", arn, "userId")`,
      [ids, customers.map((c) => c.userName), customers.map((c) => c.arn), customers.map((c) => c.userId), aws.accountId],
    );
    await client.query(
      `INSERT INTO "AccessKey" (id, "identityId", "accessKeyId", status, "revealedAt", "createdAt")
       SELECT 'bench-access-key-' || k."customerId", 'bench-identity-' || k."customerId", k."accessKeyId", 'ACTIVE', now() - interval '1 day', now() - interval '2 days'
       FROM unnest($1::text[], $2::text[]) AS k("customerId", "accessKeyId")`,
      [ids, customers.map((c) => c.accessKeyId)],
    );
  });
  return { repositories, customers };
}

export async function portalBenchmark(entitlements: number, serverUrl: string | undefined, aws: Emulator) {
  const database = await createThrowawayDatabase("portal", serverUrl);
  try {
    const seedStarted = Date.now();
    const { repositories, customers } = await seedPortal(database.url, entitlements, aws);
    const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);
    // The emulator directly, without the engine benchmark's fault weather.
    const env = { PULLGATE_AWS_ENDPOINT: aws.endpoint, AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.portal.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.portal.secretAccessKey };
    return await withProductionServer("portal", database, env, async (base, serverCpuMs) => {
      const cookies: string[] = [];
      for (const c of customers) cookies.push(await signIn(base, c.email, c.password));
      const first = customers[0]!;
      // One page first, checked for the full state rather than an empty one.
      const check = await fetch(`${base}/portal`, { headers: { cookie: cookies[0]! }, redirect: "manual" });
      const html = await check.text();
      const missing = fullPageMarkers(first).filter((m) => !html.includes(m));
      if (check.status !== 200 || missing.length > 0) throw new Error(`portal: HTTP ${check.status}, the page lacks ${missing.join(", ")}`);
      const pageKB = round(Buffer.byteLength(html) / 1000, 1);
      const firstLoad = await firstLoadJavaScript(base, cookies[0]!, "Pull instructions");

      const mustContain = ["Your access key", "Pull instructions", "docker pull ", 'data-testid="key-usage-'];
      await load(base, { cookies, paths: ["/portal"], total: 2 * CUSTOMERS, mustContain });
      console.error(`portal: ${entitlements} entitlements, ${CUSTOMERS} concurrent customers`);
      // The server's own CPU per page (Next.js and its Prisma client; not PostgreSQL, the emulator or the clients).
      const measured = async (clients: string[], total: number) => {
        const cpuBefore = serverCpuMs();
        const figures = await load(base, { cookies: clients, paths: ["/portal"], total, mustContain });
        return { ...figures, serverCpuMsPerResponse: round((serverCpuMs() - cpuBefore) / total, 1) };
      };
      const concurrent = await measured(cookies, REQUESTS);
      // One request at a time: the server's own time per page, without queueing for the cores.
      const serial = await measured([cookies[0]!], SERIAL_REQUESTS);
      return {
        entitlements,
        seedSeconds,
        customers: CUSTOMERS,
        repositories: repositories.length,
        tagsPerRepository: TAGS.length,
        pageKB,
        concurrency: CUSTOMERS,
        concurrent,
        serial,
        firstLoadJavaScript: firstLoad,
      };
    });
  } finally {
    await database.drop();
  }
}
