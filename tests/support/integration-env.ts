import { inject } from "vitest";
import { EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-api-server";

// Every integration test runs the portal as configured in production: its own least-privilege
// AWS identity (signed requests against the emulator) and a real PostgreSQL.
const ctx = inject("integration");
Object.assign(process.env, {
  DATABASE_URL: ctx.databaseUrl,
  NEXTAUTH_SECRET: "integration-test-secret-0123456789",
  NEXTAUTH_URL: "http://127.0.0.1:3999",
  PULLGATE_MASTER_KEY: ctx.masterKey,
  PULLGATE_PREVIOUS_MASTER_KEYS: `k2:${ctx.nextMasterKey}`,
  PULLGATE_AWS_ENDPOINT: ctx.awsEndpoint,
  AWS_REGION: ctx.region,
  AWS_ACCESS_KEY_ID: ctx.portal.accessKeyId,
  AWS_SECRET_ACCESS_KEY: ctx.portal.secretAccessKey,
  PULLGATE_PRINCIPAL_RETRY_SECONDS: "5",
  // Repositories may live in the vendor's second account too, reached through its registry role.
  PULLGATE_REGISTRY_ACCOUNTS: ctx.registryAccount.accountId,
  PULLGATE_CLOUDTRAIL_BUCKET: EMULATOR_CLOUDTRAIL_BUCKET,
  PULLGATE_S3_ENDPOINT: ctx.s3Endpoint,
  SMTP_URL: ctx.smtpUrl,
  PULLGATE_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
  PULLGATE_SSO_ALLOWED_HOSTS: "127.0.0.1",
  STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
  STRIPE_SECRET_KEY: "sk_test_integration",
  STRIPE_API_URL: ctx.stripeApiUrl,
  LOG_LEVEL: "warn",
});
