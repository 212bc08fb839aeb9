import "server-only";
import { z } from "zod";

// The one place that reads process.env. Parsed lazily so `next build` needs no runtime secrets.
/** Exact host names, comma-separated; IPv6 without brackets. */
const hostList = z
  .string()
  .default("")
  .transform((value) => value.split(",").map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean));

const schema = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// URL"),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
  PULLGATE_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "PULLGATE_MASTER_KEY must be 32 bytes, base64-encoded"),
  PULLGATE_MASTER_KEY_ID: z.string().regex(/^[\w-]{1,32}$/).default("k1"),
  // Retired master keys, "id:base64key" separated by commas: they open older secrets until
  // `npm run secrets:rotate` has re-wrapped them under the current key.
  PULLGATE_PREVIOUS_MASTER_KEYS: z
    .string()
    .default("")
    .transform((value, ctx) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => {
          const [id = "", key = ""] = entry.split(":");
          const bytes = Buffer.from(key, "base64");
          if (!/^[\w-]{1,32}$/.test(id) || bytes.length !== 32) {
            ctx.addIssue({ code: "custom", message: "PULLGATE_PREVIOUS_MASTER_KEYS entries must be id:<32 bytes base64>" });
          }
          return { id, key: bytes };
        }),
    ),
  AWS_REGION: z.string().default("us-east-1"),
  // Regions whose ECR repositories admins pick from when attaching one to a product
  // (comma-separated); AWS_REGION when unset.
  PULLGATE_ECR_REGIONS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "PULLGATE_ECR_REGIONS must list regions like us-east-1,eu-west-1"))),
  // The vendor's other accounts holding repositories (comma-separated 12-digit ids): the portal
  // reaches each through the role PULLGATE_REGISTRY_ROLE_NAME there; its customers' users stay in
  // the portal's own account.
  PULLGATE_REGISTRY_ACCOUNTS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{12}$/, "PULLGATE_REGISTRY_ACCOUNTS must list 12-digit account ids like 111122223333,444455556666"))),
  PULLGATE_REGISTRY_ROLE_NAME: z.string().regex(/^[\w+=,.@-]{1,64}$/).default("pullgate-registry"),
  // The role under PULLGATE_IAM_PATH through which pull tokens get registry credentials
  // (DEFAULT_BROKER_ROLE_NAME in broker-role.ts, which the printed portal policy names by default).
  // OIDC issuers customers may trust for workload federation besides GitHub Actions, GitLab.com
  // and EKS clusters (comma-separated https URLs, e.g. a self-hosted GitLab).
  PULLGATE_WORKLOAD_ISSUERS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((url) => url.trim().replace(/\/$/, "")).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https:\/\/[^\s?#]+$/, "PULLGATE_WORKLOAD_ISSUERS must list https URLs"))),
  PULLGATE_BROKER_ROLE_NAME: z.string().regex(/^[\w+=,.@-]{1,64}$/).default("pullgate-registry-broker"),
  PULLGATE_AWS_ENDPOINT: z.string().url().optional(),
  // The S3 bucket (and key prefix) where the account's CloudTrail trail delivers its logs: image
  // pulls are read from them for the customers' activity. Unset, no pull history is kept.
  PULLGATE_CLOUDTRAIL_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "PULLGATE_CLOUDTRAIL_BUCKET must be an S3 bucket name")
    .optional(),
  // S3 through its own endpoint (an S3 interface VPC endpoint, or an emulator); else PULLGATE_AWS_ENDPOINT.
  PULLGATE_S3_ENDPOINT: z.string().url().optional(),
  PULLGATE_CLOUDTRAIL_PREFIX: z
    .string()
    .default("")
    .transform((v) => v.replace(/^\/+|\/+$/g, "")),
  // Set for an organization trail, which delivers under AWSLogs/<organization id>/<account>/.
  PULLGATE_CLOUDTRAIL_ORGANIZATION_ID: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/, "PULLGATE_CLOUDTRAIL_ORGANIZATION_ID must be an organization id like o-a1b2c3d4e5")
    .optional(),
  PULLGATE_IAM_PATH: z
    .string()
    .regex(/^\/([\w+=,.@-]+\/)+$/, "PULLGATE_IAM_PATH must look like /pullgate/")
    .default("/pullgate/"),
  PULLGATE_LOGIN_POLICY_NAME: z.string().regex(/^[\w+=,.@-]{1,128}$/).default("AmazonEC2ContainerRegistryLogin"),
  PULLGATE_BOUNDARY_POLICY_NAME: z.string().regex(/^[\w+=,.@-]{1,128}$/).default("PullgateCustomerBoundary"),
  PULLGATE_PRINCIPAL_RETRY_SECONDS: z.coerce.number().int().min(0).max(600).default(120),
  // "auto": a repository uses its policy until the customers' principals no longer fit, then
  // moves to inline user policies; "identity-policy": every repository uses inline policies.
  PULLGATE_GRANT_STRATEGY: z.enum(["auto", "identity-policy"]).default("auto"),
  // A repository policy is written at most once per this many seconds: purchases arriving in a
  // burst share a write (a new principal often needs seconds to propagate through IAM anyway).
  PULLGATE_POLICY_BATCH_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  // After a customer rotates its key, the previous key keeps working this many days (unless the
  // customer retires it sooner), so every machine can move to the new key without an outage.
  PULLGATE_KEY_OVERLAP_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  // Days before an entitlement's expiry when its customer is emailed (comma-separated).
  PULLGATE_EXPIRY_NOTICE_DAYS: z
    .string()
    .default("30,7,1")
    .transform((value) => [...new Set(value.split(",").map((d) => d.trim()).filter(Boolean).map(Number))].sort((a, b) => b - a))
    .pipe(z.array(z.number().int("PULLGATE_EXPIRY_NOTICE_DAYS must list whole days like 30,7,1").min(1).max(365))),
  // Stripe: the webhook endpoint's signing secret (purchases grant access), the API key the
  // portal reads checkout line items and subscriptions with (a restricted key with read access to
  // Checkout Sessions and Subscriptions is enough), and the API's address (set only for a
  // Stripe-compatible test server).
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must start with whsec_").optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, "STRIPE_SECRET_KEY must be a secret (sk_) or restricted (rk_) key").optional(),
  STRIPE_API_URL: z.string().url().optional(),
  // Hosts (comma-separated, exact names) outgoing webhooks may reach whatever they resolve to, and
  // over plain http: local receivers for testing. Every other host must resolve to public addresses.
  PULLGATE_WEBHOOK_ALLOWED_HOSTS: hostList,
  // The same for identity providers' issuers (single sign-on): local providers for testing.
  PULLGATE_SSO_ALLOWED_HOSTS: hostList,
  // Reverse proxies (comma-separated addresses or CIDR networks) whose X-Forwarded-For hops are
  // believed: the client is the rightmost hop that is not one of them. None: no client address.
  PULLGATE_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], "PULLGATE_TRUSTED_PROXIES must list addresses or networks like 10.0.0.0/8,192.0.2.10"))),
  // A bearer token with which a monitor reads /api/health's details (database and AWS checks);
  // without it, or a signed-in vendor admin, the endpoint answers liveness alone. Unset: none.
  PULLGATE_HEALTH_TOKEN: z.string().min(32, "PULLGATE_HEALTH_TOKEN must be at least 32 characters").optional(),
  SMTP_URL: z.string().default("smtp://127.0.0.1:2525"),
  MAIL_FROM: z.string().default("Pullgate <no-reply@pullgate.local>"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // Customer reconciles one worker process runs at once (each waits mostly on AWS).
  PULLGATE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  // Failed provisioning jobs are retried this often, with exponential backoff from this delay,
  // before they land in the dead-letter queue.
  PULLGATE_JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
  PULLGATE_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  // Requests per minute one v1 API key may make, across every app instance.
  PULLGATE_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
  // Registry-credential requests a minute per pull token: Docker's helper asks on every pull it
  // has no fresh answer for, and one token may serve a whole cluster's nodes.
  PULLGATE_PULL_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  DRIFT_AUDIT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  // Runs the revocation and retry worker inside the web server process (the sandbox does).
  PULLGATE_RUN_WORKER: z
    .enum(["true", "false", ""])
    .default("false")
    .transform((v) => v === "true"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** Validates a candidate environment without caching it (used by tests and start-up checks). */
export function parseEnv(source: Record<string, string | undefined>) {
  return schema.safeParse(source);
}
