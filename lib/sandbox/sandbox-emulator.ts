import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { bootstrapEmulator, EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import type { Credentials } from "@/lib/aws/vendor-admin";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { startMotoServer } from "./moto-server";
import { readJsonFile, writeJsonFile } from "./sandbox-files";
import { DEMO_PRODUCT, DEMO_SPARE_REPOSITORIES } from "./seed-sandbox";

type EmulatorAccount = { accountId: string; admin: Credentials; portal: Credentials };

const emulatorDir = (sandboxDir: string) => path.join(sandboxDir, "aws");
const accountFile = (dir: string) => path.join(dir, "account.json");

/** Whether an emulator's state was kept from an earlier start. */
export const emulatorStateExists = (sandboxDir: string) => existsSync(accountFile(emulatorDir(sandboxDir)));

export function forgetEmulatorState(sandboxDir: string) {
  rmSync(emulatorDir(sandboxDir), { recursive: true, force: true });
}

type Names = { iamPath: string; loginPolicyName: string; boundaryPolicyName: string };

/**
 * The sandbox's AWS: moto (IAM, STS, ECR; auth enforced) and a second moto for CloudTrail's S3
 * bucket, both recording what they serve under `<sandbox dir>/aws/`. The first start prepares it
 * like a vendor account (administrator, the portal's least-privilege user, the demo repositories,
 * the trail's bucket); later starts replay the recordings, so customers' users and access keys
 * come back with the same ids and secrets.
 */
export async function startSandboxEmulator({ sandboxDir, region, port, names }: { sandboxDir: string; region: string; port?: number; names: Names }) {
  const dir = emulatorDir(sandboxDir);
  const kept = readJsonFile<EmulatorAccount>(accountFile(dir));
  // Recordings without the account they prepared are a first start that did not finish.
  if (!kept) forgetEmulatorState(sandboxDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const moto = await startMotoServer({ port, recording: path.join(dir, "iam-ecr.recording") });
  const s3 = await startMotoServer({ unauthenticated: true, recording: path.join(dir, "s3.recording") });
  const stop = async () => {
    await moto.stop();
    await s3.stop();
  };
  try {
    const account = kept ?? (await bootstrap(moto.endpoint, s3.endpoint, region, names));
    if (!kept) writeJsonFile(accountFile(dir), account);
    return { endpoint: moto.endpoint, s3Endpoint: s3.endpoint, cloudTrailBucket: EMULATOR_CLOUDTRAIL_BUCKET, restored: Boolean(kept), ...account, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function bootstrap(endpoint: string, s3Endpoint: string, region: string, names: Names): Promise<EmulatorAccount> {
  const account = await bootstrapEmulator({
    endpoint,
    region,
    ...names,
    repositories: [
      ...DEMO_PRODUCT.repositories.map((r, i) => ({
        ...r,
        // The vendor's own CI statement shows that Pullgate keeps statements it does not own.
        foreignStatement:
          i === 0
            ? { Sid: "VendorCiPush", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: ["ecr:PutImage"] }
            : undefined,
      })),
      ...DEMO_SPARE_REPOSITORIES,
    ],
  });
  const trail = vendorAdmin({ endpoint, s3Endpoint, region, accountId: account.accountId, credentials: account.admin });
  await trail.createBucket(EMULATOR_CLOUDTRAIL_BUCKET);
  trail.destroy();
  return account;
}
