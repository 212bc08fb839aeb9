import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E_STRIPE_WEBHOOK_SECRET } from "./tests/e2e/stripe-secret";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
// Debian's Chromium where installed (no browser download needed), else Playwright's own.
const debianChromium = "/usr/bin/chromium";
const executablePath = existsSync(debianChromium) ? debianChromium : undefined;
const chromium = { ...devices["Desktop Chrome"], channel: undefined };

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["./scripts/test-runner/playwright-summary-reporter.ts"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Signs each role in once and stores its session (.pullgate/e2e/state/<role>.json) for the specs.
    { name: "roles", testMatch: /roles\.setup\.ts$/, use: chromium },
    { name: "chromium", use: chromium, dependencies: ["roles"] },
  ],
  webServer: {
    // The sandbox itself, serving the production build (embedded services unless configured), with
    // the AWS oracle in front of its emulator.
    command: "node --conditions=react-server --import tsx tests/e2e/sandbox-behind-oracle.ts --start --fresh",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM lets the sandbox stop its services and drop its throw-away database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      NEXTAUTH_URL: baseURL,
      PULLGATE_SANDBOX_DIR: ".pullgate/e2e",
      LOG_LEVEL: "warn",
      PULLGATE_PRINCIPAL_RETRY_SECONDS: "5",
      STRIPE_WEBHOOK_SECRET: E2E_STRIPE_WEBHOOK_SECRET,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
