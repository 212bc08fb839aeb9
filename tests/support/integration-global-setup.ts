import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { bootstrapEmulator, EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { startMailCatcher } from "@/lib/sandbox/mail-catcher";
import { startMotoServer } from "@/lib/sandbox/moto-server";
import { demoRepositories } from "./fixtures";
import { startStripeApiServer } from "./stripe-api-server";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";

export type IntegrationContext = {
  databaseUrl: string;
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
  s3Admin.destroy();
  project.provide("integration", {
    databaseUrl: database.url,
    awsEndpoint: moto.endpoint,
    s3Endpoint: s3.endpoint,
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
    await mail.stop();
    await stripe.stop();
    await moto.stop();
    await s3.stop();
    await database.drop();
  };
}
