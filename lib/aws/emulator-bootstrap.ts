// Prepares an AWS emulator (moto server started with INITIAL_NO_AUTH_ACTION_COUNT=3) the way a
// vendor prepares a real account: an administrator, the portal's least-privilege identity, and
// ECR repositories holding images. After the first three calls every request must be signed.
import { createHash } from "node:crypto";
import { CreateRepositoryCommand, ECRClient, PutImageCommand, SetRepositoryPolicyCommand } from "@aws-sdk/client-ecr";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { portalPolicyForEmulator } from "./portal-policy";

export const EMULATOR_UNAUTHENTICATED_CALLS = 3;

export type Credentials = { accessKeyId: string; secretAccessKey: string };
export type EmulatorRepository = { name: string; tags: string[]; foreignStatement?: object };

type Options = {
  endpoint: string;
  region: string;
  iamPath: string;
  loginPolicyName: string;
  repositories: EmulatorRepository[];
};

function clients(endpoint: string, region: string, credentials: Credentials) {
  const base = { endpoint, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient({ ...base, region: "us-east-1" }),
    ecr: new ECRClient({ ...base, region }),
    sts: new STSClient({ ...base, region }),
  };
}

async function createUserWithInlinePolicy(iam: IAMClient, userName: string, policy: object): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: userName, PolicyName: `${userName}-policy`, PolicyDocument: JSON.stringify(policy) }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

function fakeManifest(seed: string) {
  const digest = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1469, digest: digest(`config-${seed}`) },
    layers: [
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 3_000_000 + seed.length * 1000, digest: digest(`layer-${seed}`) },
    ],
  });
}

export async function bootstrapEmulator(opts: Options) {
  const unauthenticated = clients(opts.endpoint, opts.region, { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" });
  const admin = await createUserWithInlinePolicy(unauthenticated.iam, "vendor-administrator", {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });

  const asAdmin = clients(opts.endpoint, opts.region, admin);
  const identity = await asAdmin.sts.send(new GetCallerIdentityCommand({}));
  const accountId = identity.Account!;
  const portal = await createUserWithInlinePolicy(
    asAdmin.iam,
    "pullgate-portal",
    portalPolicyForEmulator({ accountId, iamPath: opts.iamPath, loginPolicyName: opts.loginPolicyName }),
  );

  for (const repo of opts.repositories) {
    await asAdmin.ecr.send(new CreateRepositoryCommand({ repositoryName: repo.name }));
    for (const tag of repo.tags) {
      await asAdmin.ecr.send(
        new PutImageCommand({ repositoryName: repo.name, imageTag: tag, imageManifest: fakeManifest(`${repo.name}:${tag}`) }),
      );
    }
    if (repo.foreignStatement) {
      await asAdmin.ecr.send(
        new SetRepositoryPolicyCommand({
          repositoryName: repo.name,
          policyText: JSON.stringify({ Version: "2012-10-17", Statement: [repo.foreignStatement] }),
        }),
      );
    }
  }
  for (const c of [unauthenticated, asAdmin]) Object.values(c).forEach((client) => client.destroy());
  return { accountId, admin, portal };
}
