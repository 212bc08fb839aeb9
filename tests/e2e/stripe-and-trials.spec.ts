// Access following money without a click: a signed Stripe event against the running server grants
// the product the vendor priced, and a trial granted on the admin page converts to a paid term.
import { expect, test } from "./judged-test";
import Stripe from "stripe";
import { grantOnAdminPage, signInAsAdmin, signInFromWelcomeEmail } from "./purchase";
import { E2E_STRIPE_WEBHOOK_SECRET } from "./stripe-secret";

const DAY = 86_400_000;
const run = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
const seconds = (ms: number) => Math.floor(ms / 1000);

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page);
});

test("a paid Stripe invoice for a priced product grants it, and a forged one changes nothing", async ({ page, browser, request }) => {
  const id = run();
  const priceId = `price_e2e${id}`;
  const email = `stripe-${id}@example.com`;
  await page.goto("/admin/products");
  const prices = page.getByRole("form", { name: "Add a Stripe price to Acme Analytics" });
  await prices.getByLabel("Stripe price").fill(priceId);
  await prices.getByRole("button", { name: "Add price" }).click();
  await expect(prices.getByRole("status")).toContainText("now grant this product");

  const periodEnd = seconds(Date.now() + 30 * DAY);
  const payload = JSON.stringify({
    id: `evt_e2e${id}`,
    object: "event",
    type: "invoice.paid",
    created: seconds(Date.now()),
    data: {
      object: {
        id: `in_e2e${id}`,
        object: "invoice",
        customer_email: email,
        customer_name: `Stripe Buyer ${id}`,
        parent: { type: "subscription_details", subscription_details: { subscription: `sub_e2e${id}` } },
        lines: { data: [{ period: { start: seconds(Date.now()), end: periodEnd }, pricing: { price_details: { price: priceId } } }] },
      },
    },
  });
  const post = (signature: string) =>
    request.post("/api/webhooks/stripe", { data: payload, headers: { "content-type": "application/json", "stripe-signature": signature } });

  const forged = await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_vendors" }));
  expect(forged.status()).toBe(400);
  const genuine = await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: E2E_STRIPE_WEBHOOK_SECRET }));
  expect(genuine.status()).toBe(200);
  expect(await genuine.json()).toMatchObject({ received: true, processed: true });

  // The customer is welcomed once provisioning is done, and its subscription renews by itself.
  const { context, portal } = await signInFromWelcomeEmail(browser, email);
  await expect(portal.getByText(/Your subscription renews automatically on/)).toBeVisible();
  await context.close();

  await page.goto(`/admin/entitlements?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name: new RegExp(`Stripe Buyer ${id}`) }).first().click();
  await expect(page.getByText(/STRIPE · renews automatically/)).toBeVisible();
});

test("a trial granted on the admin page is marked as one and converts in place", async ({ page }) => {
  const email = `trial-${run()}@example.com`;
  await grantOnAdminPage(page, email, { trial: true });
  await expect(page.getByText("Trial", { exact: true })).toBeVisible();

  await page.getByTestId("convert-button").click();
  // The page shows the paid entitlement: no trial badge, no convert action, still active.
  await expect(page.getByTestId("convert-button")).toHaveCount(0);
  await expect(page.getByText("Trial", { exact: true })).toHaveCount(0);
  await expect(page.getByText(/STANDARD · ADMIN/)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("entitlement-state")).toHaveText(/active/i);
});
