import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { bootstrapEmulator, EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { startMailCatcher } from "@/lib/sandbox/mail-catcher";
import { startMotoServer } from "@/lib/sandbox/moto-server";
import { demoRepositories, FOREIGN_ROLE_NAME } from "./fixtures";
import { startStripeApiServer } from "./stripe-api-server";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { startAwsOracle } from "./aws-oracle/start-aws-oracle";

export type IntegrationContext = {
  databaseUrl: string;
  /** AWS for everything in the tests: the oracle in front of the emulator. */
  awsEndpoint: string;
  /** S3 for CloudTrail's log files, holding the bucket the portal reads. */
  s3Endpoint: string;
  region: string;
  accountId: string;
  portal: { accessKeyId: string; secretAccessKey: string };
  admin: { accessKeyId: string; secretAccessKey: string };
  masterKey: string;
  smtpUrl: string;
  inboxUrl: string;
  stripeApiUrl: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    integration: IntegrationContext;
  }
}

export default async function setup(project: TestProject) {
  const database = await createThrowawayDatabase("it", process.env.DATABASE_URL);
  const moto = await startMotoServer();
  const s3 = await startMotoServer({ unauthenticated: true });
  const mail = await startMailCatcher();
  const stripe = await startStripeApiServer();
  const region = "us-east-1";
  const aws = await bootstrapEmulator({
    endpoint: moto.endpoint,
    region,
    iamPath: "/pullgate/",
    loginPolicyName: "AmazonEC2ContainerRegistryLogin",
    boundaryPolicyName: "PullgateCustomerBoundary",
    repositories: demoRepositories,
  });
  // The trail's bucket, as the vendor made it when setting up CloudTrail.
  const s3Admin = vendorAdmin({ endpoint: moto.endpoint, s3Endpoint: s3.endpoint, region, accountId: aws.accountId, credentials: aws.admin });
  await s3Admin.createBucket(EMULATOR_CLOUDTRAIL_BUCKET);
  // The vendor's CI role its own statement names: ECR refuses a policy naming a role that does not exist.
  await s3Admin.createRole(FOREIGN_ROLE_NAME);
  s3Admin.destroy();
  const oracle = await startAwsOracle({ emulator: moto.endpoint, s3: s3.endpoint, region, ...aws, cloudTrailBucket: EMULATOR_CLOUDTRAIL_BUCKET });
  project.provide("integration", {
    databaseUrl: database.url,
    awsEndpoint: oracle.endpoint,
    s3Endpoint: oracle.s3Endpoint,
    region,
    accountId: aws.accountId,
    portal: aws.portal,
    admin: aws.admin,
    masterKey: randomBytes(32).toString("base64"),
    smtpUrl: mail.smtpUrl,
    inboxUrl: mail.inboxUrl,
    stripeApiUrl: stripe.url,
  });
  return async () => {
    const { judged, denied, refused, unjudged } = oracle.report;
    console.log(`aws oracle: ${judged} calls judged; ${denied.length} denied, ${refused.length} refused (quotas, sizes, principals), ${unjudged.length} not judged`);
    const kinds = new Map<string, number>();
    for (const r of refused) {
      const kind = `${r.action}: ${r.code} ${r.message}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    for (const [kind, times] of kinds) console.log(`aws oracle: refused ${times} x ${kind}`);
    // A run whose AWS calls bypassed the oracle would prove nothing about them.
    if (judged === 0) throw new Error("The AWS oracle judged no call: the tests' AWS traffic did not go through it");
    await oracle.stop();
    await mail.stop();
    await stripe.stop();
    await moto.stop();
    await s3.stop();
    await database.drop();
  };
}
