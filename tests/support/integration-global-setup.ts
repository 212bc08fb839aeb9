import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { bootstrapEmulator, EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { startMailCatcher } from "@/lib/sandbox/mail-catcher";
import { startMotoServer } from "@/lib/sandbox/moto-server";
import { demoRepositories, FOREIGN_ROLE_NAME } from "./fixtures";
import { startStripeApiServer } from "./stripe-api-server";
import { createThrowawayDatabase } from "@/lib/sandbox/throwaway-database";
import { EMULATOR_ONLY_ROLE_POLICY } from "./aws-oracle/account-view";
import { startAwsOracle } from "./aws-oracle/start-aws-oracle";

/** The vendor's second account holding repositories; customers' users stay in the first. */
export const REGISTRY_ACCOUNT_ID = "444455556666";
/** The role it gives the portal (the product's default PULLGATE_REGISTRY_ROLE_NAME), under PULLGATE_IAM_PATH. */
export const REGISTRY_ROLE_NAME = "pullgate-registry";
const IAM_PATH = "/pullgate/";

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
  /** The vendor's other account holding repositories, which the portal reaches through its role there. */
  registryAccount: { accountId: string; admin: { accessKeyId: string; secretAccessKey: string } };
  masterKey: string;
  /** The key the rotation test moves secrets to: configured as a previous key in every file, so
   * a secret it re-wrapped still opens for files running meanwhile. */
  nextMasterKey: string;
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
  const moto = await startMotoServer({ otherAccounts: 1 });
  const s3 = await startMotoServer({ unauthenticated: true });
  const mail = await startMailCatcher();
  const stripe = await startStripeApiServer();
  const region = "us-east-1";
  const aws = await bootstrapEmulator({
    endpoint: moto.endpoint,
    region,
    iamPath: IAM_PATH,
    loginPolicyName: "AmazonEC2ContainerRegistryLogin",
    boundaryPolicyName: "PullgateCustomerBoundary",
    repositories: demoRepositories,
    otherAccountIds: [REGISTRY_ACCOUNT_ID],
    registryRoleName: REGISTRY_ROLE_NAME,
  });
  const registryAccount = aws.otherAccounts[0]!;
  await createRegistryRole(moto.endpoint, region, registryAccount, `arn:aws:iam::${aws.accountId}:user/pullgate-portal`);
  // The trail's bucket, as the vendor made it when setting up CloudTrail.
  const s3Admin = vendorAdmin({ endpoint: moto.endpoint, s3Endpoint: s3.endpoint, region, accountId: aws.accountId, credentials: aws.admin });
  await s3Admin.createBucket(EMULATOR_CLOUDTRAIL_BUCKET);
  // The vendor's CI role its own statement names: ECR refuses a policy naming a role that does not exist.
  await s3Admin.createRole(FOREIGN_ROLE_NAME);
  s3Admin.destroy();
  const oracle = await startAwsOracle({
    emulator: moto.endpoint,
    s3: s3.endpoint,
    region,
    ...aws,
    cloudTrailBucket: EMULATOR_CLOUDTRAIL_BUCKET,
    registryRoleName: REGISTRY_ROLE_NAME,
  });
  project.provide("integration", {
    databaseUrl: database.url,
    awsEndpoint: oracle.endpoint,
    s3Endpoint: oracle.s3Endpoint,
    region,
    accountId: aws.accountId,
    portal: aws.portal,
    admin: aws.admin,
    registryAccount,
    masterKey: randomBytes(32).toString("base64"),
    nextMasterKey: randomBytes(32).toString("base64"),
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

/**
 * The role the registry account gives the portal, as its administrator creates it: trusting the
 * portal's user alone, holding the repository statements for its account. The emulator cannot
 * evaluate those (Resource and Condition), so it gets their actions on "*" under the name the
 * oracle does not weigh; the oracle judges sessions under the real policy.
 */
async function createRegistryRole(endpoint: string, region: string, account: IntegrationContext["registryAccount"], portalArn: string) {
  const admin = vendorAdmin({ endpoint, region, accountId: account.accountId, credentials: account.admin });
  const policy = registryRolePolicyDocument({ accountId: account.accountId, partition: "aws" });
  const emulatorOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...new Set(policy.Statement.flatMap((s) => s.Action))], Resource: "*" }] };
  await admin.createRole(REGISTRY_ROLE_NAME, {
    path: IAM_PATH,
    trustPolicy: registryRoleTrustPolicy(portalArn),
    inlinePolicies: { [REGISTRY_ROLE_NAME]: policy, [EMULATOR_ONLY_ROLE_POLICY]: emulatorOnly },
  });
  admin.destroy();
}
