import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const minimal = {
  DATABASE_URL: "postgresql://pullgate@db.internal:5432/pullgate",
  NEXTAUTH_SECRET: "0123456789abcdef",
  PULLGATE_MASTER_KEY: randomBytes(32).toString("base64"),
};

const issuePaths = (source: Record<string, string | undefined>) => {
  const parsed = parseEnv(source);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};

describe("parseEnv", () => {
  it("accepts a minimal configuration and fills in the defaults", () => {
    const parsed = parseEnv(minimal);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      ...minimal,
      NEXTAUTH_URL: "http://localhost:3000",
      PULLGATE_MASTER_KEY_ID: "k1",
      AWS_REGION: "us-east-1",
      PULLGATE_ECR_REGIONS: [],
      PULLGATE_REGISTRY_ACCOUNTS: [],
      PULLGATE_REGISTRY_ROLE_NAME: "pullgate-registry",
      PULLGATE_WORKLOAD_ISSUERS: [],
      PULLGATE_BROKER_ROLE_NAME: "pullgate-registry-broker",
      PULLGATE_IAM_PATH: "/pullgate/",
      PULLGATE_LOGIN_POLICY_NAME: "AmazonEC2ContainerRegistryLogin",
      PULLGATE_BOUNDARY_POLICY_NAME: "PullgateCustomerBoundary",
      LOG_LEVEL: "info",
      PULLGATE_PRINCIPAL_RETRY_SECONDS: 120,
      SMTP_URL: "smtp://127.0.0.1:2525",
      MAIL_FROM: "Pullgate <no-reply@pullgate.local>",
      PULLGATE_WORKER_CONCURRENCY: 8,
      PULLGATE_GRANT_STRATEGY: "auto",
      PULLGATE_POLICY_BATCH_SECONDS: 20,
      PULLGATE_EXPIRY_NOTICE_DAYS: [30, 7, 1],
      PULLGATE_CLOUDTRAIL_PREFIX: "",
      PULLGATE_KEY_OVERLAP_DAYS: 7,
      PULLGATE_JOB_RETRY_LIMIT: 8,
      PULLGATE_JOB_RETRY_DELAY_SECONDS: 10,
      DRIFT_AUDIT_MINUTES: 60,
      PULLGATE_API_RATE_LIMIT: 600,
      PULLGATE_PULL_TOKEN_RATE_LIMIT: 120,
      PULLGATE_PREVIOUS_MASTER_KEYS: [],
      PULLGATE_RUN_WORKER: false,
      PULLGATE_WEBHOOK_ALLOWED_HOSTS: [],
      PULLGATE_SSO_ALLOWED_HOSTS: [],
      PULLGATE_TRUSTED_PROXIES: [],
    });
    expect(parsed.data?.PULLGATE_AWS_ENDPOINT).toBeUndefined();
  });

  it("coerces numeric settings given as strings", () => {
    const parsed = parseEnv({ ...minimal, PULLGATE_PRINCIPAL_RETRY_SECONDS: "5", PULLGATE_WORKER_CONCURRENCY: "16" });
    expect(parsed.data?.PULLGATE_PRINCIPAL_RETRY_SECONDS).toBe(5);
    expect(parsed.data?.PULLGATE_WORKER_CONCURRENCY).toBe(16);
  });

  it("ignores unrelated variables", () => {
    expect(parseEnv({ ...minimal, PATH: "/usr/bin", HOME: "/root" }).success).toBe(true);
  });

  it.each([
    ["16 bytes", randomBytes(16).toString("base64")],
    ["33 bytes", randomBytes(33).toString("base64")],
    ["empty", ""],
  ])("rejects a master key of %s", (_label, key) => {
    expect(issuePaths({ ...minimal, PULLGATE_MASTER_KEY: key })).toEqual(["PULLGATE_MASTER_KEY"]);
  });

  it.each(["pullgate", "/pullgate", "pullgate/", "/", "/pull gate/", "/a//b/"])("rejects the IAM path %j", (path) => {
    expect(issuePaths({ ...minimal, PULLGATE_IAM_PATH: path })).toEqual(["PULLGATE_IAM_PATH"]);
  });

  it("accepts a nested IAM path", () => {
    expect(parseEnv({ ...minimal, PULLGATE_IAM_PATH: "/vendor/pullgate/" }).data?.PULLGATE_IAM_PATH).toBe("/vendor/pullgate/");
  });

  it("names every missing required variable", () => {
    expect(issuePaths({}).sort()).toEqual(["DATABASE_URL", "NEXTAUTH_SECRET", "PULLGATE_MASTER_KEY"]);
  });

  it("rejects out-of-range numbers and a short NextAuth secret", () => {
    expect(issuePaths({ ...minimal, PULLGATE_PRINCIPAL_RETRY_SECONDS: "601" })).toEqual(["PULLGATE_PRINCIPAL_RETRY_SECONDS"]);
    expect(issuePaths({ ...minimal, NEXTAUTH_SECRET: "short" })).toEqual(["NEXTAUTH_SECRET"]);
    expect(issuePaths({ ...minimal, PULLGATE_AWS_ENDPOINT: "not a url" })).toEqual(["PULLGATE_AWS_ENDPOINT"]);
  });
});

/** The required settings alone, for the tests of one optional setting. */
const base = {
  DATABASE_URL: "postgresql://pullgate@db.internal:5432/pullgate",
  NEXTAUTH_SECRET: "0123456789abcdef",
  PULLGATE_MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("PULLGATE_PREVIOUS_MASTER_KEYS", () => {
  it("parses id:key pairs", () => {
    const key = Buffer.alloc(32, 7);
    const parsed = parseEnv({ ...base, PULLGATE_PREVIOUS_MASTER_KEYS: `k0:${key.toString("base64")}, old-1:${key.toString("base64")}` });
    expect(parsed.success && parsed.data.PULLGATE_PREVIOUS_MASTER_KEYS.map((k) => k.id)).toEqual(["k0", "old-1"]);
  });
  it("rejects a short key", () => {
    const parsed = parseEnv({ ...base, PULLGATE_PREVIOUS_MASTER_KEYS: "k0:c2hvcnQ=" });
    expect(parsed.success).toBe(false);
  });
});

describe("PULLGATE_ECR_REGIONS", () => {
  it("lists regions separated by commas", () => {
    const parsed = parseEnv({ ...base, PULLGATE_ECR_REGIONS: " us-east-1, eu-west-1 ,," });
    expect(parsed.success && parsed.data.PULLGATE_ECR_REGIONS).toEqual(["us-east-1", "eu-west-1"]);
  });
  it("rejects something that is not a region", () => {
    expect(parseEnv({ ...base, PULLGATE_ECR_REGIONS: "us-east-1,Frankfurt" }).success).toBe(false);
  });
});

describe("PULLGATE_REGISTRY_ACCOUNTS", () => {
  it("lists 12-digit account ids separated by commas", () => {
    const parsed = parseEnv({ ...base, PULLGATE_REGISTRY_ACCOUNTS: " 111122223333, 444455556666 ,," });
    expect(parsed.success && parsed.data.PULLGATE_REGISTRY_ACCOUNTS).toEqual(["111122223333", "444455556666"]);
  });
  it("rejects something that is not an account id", () => {
    for (const value of ["1111-2222-3333", "11112222333", "acme"]) expect(parseEnv({ ...base, PULLGATE_REGISTRY_ACCOUNTS: value }).success, value).toBe(false);
  });
});

describe("PULLGATE_WEBHOOK_ALLOWED_HOSTS and PULLGATE_SSO_ALLOWED_HOSTS", () => {
  it("lists host names separated by commas, lower-cased, IPv6 without brackets", () => {
    const list = " 127.0.0.1, Receiver.Internal ,,[::1]";
    const parsed = parseEnv({ ...base, PULLGATE_WEBHOOK_ALLOWED_HOSTS: list, PULLGATE_SSO_ALLOWED_HOSTS: list });
    expect(parsed.success && parsed.data.PULLGATE_WEBHOOK_ALLOWED_HOSTS).toEqual(["127.0.0.1", "receiver.internal", "::1"]);
    expect(parsed.success && parsed.data.PULLGATE_SSO_ALLOWED_HOSTS).toEqual(["127.0.0.1", "receiver.internal", "::1"]);
  });
});

describe("PULLGATE_TRUSTED_PROXIES", () => {
  it("lists addresses and networks separated by commas", () => {
    const parsed = parseEnv({ ...base, PULLGATE_TRUSTED_PROXIES: " 10.0.0.0/8, 192.0.2.10,,fd00::/8 " });
    expect(parsed.success && parsed.data.PULLGATE_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "192.0.2.10", "fd00::/8"]);
  });
  it("rejects something that is not an address or network", () => {
    for (const value of ["proxy.internal", "10.0.0.0/33", "10.0.0"]) expect(parseEnv({ ...base, PULLGATE_TRUSTED_PROXIES: value }).success, value).toBe(false);
  });
});

describe("PULLGATE_EXPIRY_NOTICE_DAYS", () => {
  it("lists whole days, furthest first, without repeats", () => {
    const parsed = parseEnv({ ...base, PULLGATE_EXPIRY_NOTICE_DAYS: "1, 14,7,14" });
    expect(parsed.success && parsed.data.PULLGATE_EXPIRY_NOTICE_DAYS).toEqual([14, 7, 1]);
  });
  it("rejects anything but days from 1 to 365", () => {
    for (const value of ["0", "7,abc", "1.5", "400"]) expect(parseEnv({ ...base, PULLGATE_EXPIRY_NOTICE_DAYS: value }).success, value).toBe(false);
  });
});

describe("PULLGATE_HEALTH_TOKEN", () => {
  it("is unset by default and takes a long token", () => {
    expect(parseEnv(base).data?.PULLGATE_HEALTH_TOKEN).toBeUndefined();
    expect(parseEnv({ ...base, PULLGATE_HEALTH_TOKEN: "t".repeat(32) }).data?.PULLGATE_HEALTH_TOKEN).toBe("t".repeat(32));
  });
  it("rejects a short token", () => {
    expect(issuePaths({ ...base, PULLGATE_HEALTH_TOKEN: "short" })).toEqual(["PULLGATE_HEALTH_TOKEN"]);
  });
});
