// The Stripe webhook secret the e2e server is started with (playwright.config.ts).
export const E2E_STRIPE_WEBHOOK_SECRET = "whsec_e2e_signing_secret";
