// The purchase integrations at scale. N entitlements seeded straight into PostgreSQL, the
// production build serving them, then:
// - the v1 API read by 20 API clients at once (first and deep cursor pages, filters, one
//   entitlement, customers), and one request at a time;
// - a month-end burst of Stripe renewals: R subscriptions' signed invoice.paid events posted 10
//   at a time, each verified, stored once, folded with its subscription's events and applied (an
//   extension with no AWS change), then every entitlement checked in the database.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import Stripe from "stripe";
import { encodeCursor } from "@/lib/paging/cursor-page";
import { newSecretToken } from "@/lib/auth/tokens";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { loadRequests } from "./http-load";
import { withProductionServer } from "./production-server";
import { benchCustomerId, benchUserEmail, seedEntitlements } from "./seed-entitlements";
import { round } from "./stats";

const API_CLIENTS = 20;
const API_REQUESTS = 600;
const SERIAL_REQUESTS = 100;
const STRIPE_SENDERS = 10;
const PRICE = "price_bench1";
const DAY_S = 86_400;

const subscriptionOf = (k: number) => `sub_bench${k}`;

/** The API key, the price that sells product 1, and one renewing Stripe subscription per customer 1..renewals. */
async function seedBilling(client: Client, renewals: number, apiKeyHash: string) {
  await client.query(`INSERT INTO "ApiKey" (id, label, prefix, hash, "createdAt") VALUES ('bench-key', 'bench', 'pgk_bench', $1, now())`, [apiKeyHash]);
  await client.query(`INSERT INTO "StripePrice" (id, "productId", "createdAt") VALUES ($1, 'bench-product-1', now())`, [PRICE]);
  await client.query(
    `INSERT INTO "Entitlement" (id, "customerId", "productId", status, "startsAt", "expiresAt", source, "externalRef", "autoRenews", "syncStatus", "syncedAt", "createdAt", "updatedAt")
     SELECT 'bench-subscription-' || k, 'bench-customer-' || k, 'bench-product-1', 'ACTIVE', now() - interval '25 days', date_trunc('second', now()) + interval '5 days',
       'STRIPE', 'sub_bench' || k || ':bench-1', true, 'SYNCED', now() - interval '25 days', now() - interval '25 days', now()
     FROM generate_series(1, $1::int) k`,
    [renewals],
  );
}

/** A deep cursor: the sort key of the row halfway through the entitlement table. */
async function midwayCursor(client: Client, entitlements: number) {
  const { rows } = await client.query<{ createdAt: Date; id: string }>(
    `SELECT "createdAt", id FROM "Entitlement" ORDER BY "createdAt", id OFFSET $1 LIMIT 1`,
    [Math.floor(entitlements / 2)],
  );
  return encodeCursor(rows[0]!);
}

function renewalEvent(k: number, periodEnd: number) {
  return JSON.stringify({
    id: `evt_bench${k}`,
    object: "event",
    type: "invoice.paid",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `in_bench${k}`,
        object: "invoice",
        customer_email: benchUserEmail(k),
        parent: { type: "subscription_details", subscription_details: { subscription: subscriptionOf(k) } },
        lines: { data: [{ period: { start: periodEnd - 30 * DAY_S, end: periodEnd }, pricing: { price_details: { price: PRICE } } }] },
      },
    },
  });
}

export async function billingBenchmark(entitlements: number, renewals: number, serverUrl: string | undefined) {
  const database = await createThrowawayDatabase("billing", serverUrl);
  const { token: apiKey, hash } = newSecretToken("pgk_");
  const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  const client = new Client({ connectionString: database.url });
  try {
    await seedEntitlements(database.url, entitlements, (seeding) => seedBilling(seeding, renewals, hash));
    await client.connect();
    const deep = await midwayCursor(client, entitlements);
    // One customer and one entitlement from the middle of the table.
    const someone = Math.ceil(entitlements / 4);
    const paths = [
      "/api/v1/entitlements?limit=50",
      `/api/v1/entitlements?limit=50&cursor=${deep}`,
      "/api/v1/entitlements?limit=50&status=ACTIVE&product=bench-3",
      `/api/v1/entitlements?limit=50&customerId=${benchCustomerId(someone)}`,
      `/api/v1/entitlements/bench-entitlement-${2 * someone}`,
      "/api/v1/customers?limit=50",
      `/api/v1/customers?email=${encodeURIComponent(benchUserEmail(someone))}`,
    ];
    const env = { STRIPE_WEBHOOK_SECRET: webhookSecret, PULLGATE_API_RATE_LIMIT: "100000" };
    return await withProductionServer("billing", database, env, async (base) => {
      const api = (clients: number, total: number) =>
        loadRequests({
          clients,
          total,
          send: (i) => fetch(`${base}${paths[i % paths.length]!}`, { headers: { authorization: `Bearer ${apiKey}` } }),
          check: (response, body, i) => {
            if (response.status !== 200 || !body.startsWith("{")) throw new Error(`${paths[i % paths.length]}: HTTP ${response.status} ${body.slice(0, 200)}`);
          },
        });
      await api(API_CLIENTS, 100);
      console.error(`billing: ${entitlements} entitlements, ${API_CLIENTS} API clients`);
      const concurrent = await api(API_CLIENTS, API_REQUESTS);
      const serial = await api(1, SERIAL_REQUESTS);

      console.error(`billing: ${renewals} Stripe renewals, ${STRIPE_SENDERS} at a time`);
      const periodEnd = Math.floor(Date.now() / 1000) + 35 * DAY_S;
      const started = performance.now();
      const stripe = await loadRequests({
        clients: STRIPE_SENDERS,
        total: renewals,
        send: (i) => {
          const payload = renewalEvent(i + 1, periodEnd);
          const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
          return fetch(`${base}/api/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
        },
        check: (response, body, i) => {
          if (response.status !== 200 || !body.includes('"processed":true')) throw new Error(`renewal ${i + 1}: HTTP ${response.status} ${body.slice(0, 200)}`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const { rows } = await client.query<{ renewed: number; pending: number }>(
        `SELECT count(*) FILTER (WHERE "expiresAt" = to_timestamp($1)) ::int AS renewed, count(*) FILTER (WHERE "syncStatus" <> 'SYNCED')::int AS pending
         FROM "Entitlement" WHERE id LIKE 'bench-subscription-%'`,
        [periodEnd],
      );
      return {
        entitlements,
        api: { paths, concurrency: API_CLIENTS, concurrent, serial },
        stripeRenewals: { renewals, senders: STRIPE_SENDERS, seconds: round(seconds, 1), ...stripe, ...rows[0] },
      };
    });
  } finally {
    await client.end().catch(() => undefined);
    await database.drop();
  }
}
