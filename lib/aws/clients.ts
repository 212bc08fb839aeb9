import "server-only";
import { ECRClient, type ECRClientConfig } from "@aws-sdk/client-ecr";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import { raiseXmlErrors } from "./xml-error-body";

// Credentials come from the SDK's default chain (environment, profile, instance role);
// the endpoint override exists for emulators and VPC endpoints.
function common() {
  const { PULLGATE_AWS_ENDPOINT } = env();
  return {
    endpoint: PULLGATE_AWS_ENDPOINT,
    // Adaptive mode also slows this client down after throttling, so a burst of purchases settles
    // at the account's rate instead of burning its retries.
    maxAttempts: 6,
    retryMode: "adaptive",
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  };
}

let iam: IAMClient | undefined;
let s3: S3Client | undefined;
let sts: STSClient | undefined;
const ecrByRegion = new Map<string, ECRClient>();

/** IAM is global and signed for us-east-1. */
export function iamClient() {
  iam ??= new IAMClient({ ...common(), region: "us-east-1" });
  return iam;
}

/**
 * Emulators serve buckets by path, not by host name. The trail's bucket may live in another
 * region than the portal: the client follows S3's redirect to it.
 */
export function s3Client() {
  const options = { ...common(), endpoint: env().PULLGATE_S3_ENDPOINT ?? env().PULLGATE_AWS_ENDPOINT };
  s3 ??= new S3Client({ ...options, region: env().AWS_REGION, forcePathStyle: Boolean(options.endpoint), followRegionRedirects: true });
  return s3;
}

export function stsClient() {
  sts ??= new STSClient({ ...common(), region: env().AWS_REGION });
  return sts;
}

/** Another account's credentials, under which its repositories are reached (registry-access.ts). */
export type AccountCredentials = { accountId: string; credentials: NonNullable<ECRClientConfig["credentials"]> };

/** ECR in a region, as the portal itself or, given `account`, under that account's credentials. */
export function ecrClient(region: string, account?: AccountCredentials) {
  const key = `${region}/${account?.accountId ?? ""}`;
  let client = ecrByRegion.get(key);
  if (!client) {
    client = raiseXmlErrors(new ECRClient({ ...common(), region, ...(account ? { credentials: account.credentials } : {}) }));
    ecrByRegion.set(key, client);
  }
  return client;
}
