// The vendor administrator's own view of the account, for setting up an emulator and for
// checking the portal's work from outside: it creates repositories and lists every user, which
// the portal's least-privilege identity cannot do, by design.
import "server-only";
import { CreateRepositoryCommand, ECRClient, PutImageCommand, SetRepositoryPolicyCommand } from "@aws-sdk/client-ecr";
import { CreateAccessKeyCommand, CreateUserCommand, GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { RepositoryRef } from "./ecr";

export type Credentials = { accessKeyId: string; secretAccessKey: string };

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

export function vendorAdmin(opts: { endpoint: string; region: string; accountId: string; credentials: Credentials; s3Endpoint?: string }) {
  const base = { endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 2 };
  const ecr = new ECRClient({ ...base, region: opts.region });
  const iam = new IAMClient({ ...base, region: "us-east-1" });
  const s3 = new S3Client({ ...base, endpoint: opts.s3Endpoint ?? opts.endpoint, region: opts.region, forcePathStyle: true });

  return {
    /** A repository with the given image tags and, optionally, a statement of the vendor's own. */
    async createRepository(name: string, opts2: { tags?: string[]; foreignStatement?: object } = {}): Promise<RepositoryRef> {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
      for (const tag of opts2.tags ?? []) {
        await ecr.send(new PutImageCommand({ repositoryName: name, imageTag: tag, imageManifest: fakeManifest(`${name}:${tag}`) }));
      }
      if (opts2.foreignStatement) {
        await ecr.send(
          new SetRepositoryPolicyCommand({
            repositoryName: name,
            policyText: JSON.stringify({ Version: "2012-10-17", Statement: [opts2.foreignStatement] }),
          }),
        );
      }
      return { accountId: opts.accountId, region: opts.region, name };
    },

    async userNames(pathPrefix: string): Promise<string[]> {
      const names: string[] = [];
      let marker: string | undefined;
      do {
        const out = await iam.send(new ListUsersCommand({ PathPrefix: pathPrefix, Marker: marker }));
        for (const u of out.Users ?? []) if (u.UserName) names.push(u.UserName);
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
      return names.sort();
    },

    async setRepositoryPolicy(name: string, policy: object) {
      await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: JSON.stringify(policy) }));
    },

    async createUser(userName: string, path: string) {
      const out = await iam.send(new CreateUserCommand({ UserName: userName, Path: path }));
      return { arn: out.User!.Arn!, userId: out.User!.UserId! };
    },

    async putUserPolicy(userName: string, policyName: string, document: object) {
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
    },

    async createAccessKey(userName: string) {
      const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      return out.AccessKey!.AccessKeyId!;
    },

    /** The default version of a managed policy, parsed. */
    async policyDocument(arn: string): Promise<unknown> {
      const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
      const version = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy!.DefaultVersionId! }),
      );
      return JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    },

    async createBucket(bucket: string) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    },

    /** A log file as a CloudTrail trail delivers it: gzipped JSON holding `Records`. */
    async putTrailLog(bucket: string, key: string, records: object[]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: records })) }));
    },

    destroy() {
      s3.destroy();
      ecr.destroy();
      iam.destroy();
    },
  };
}
