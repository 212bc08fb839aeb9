// The vendor administrator's own view of the account, for setting up an emulator and for
// checking the portal's work from outside: it creates repositories and lists every user, which
// the portal's least-privilege identity cannot do, by design.
import "server-only";
import { CreateRepositoryCommand, ECRClient, PutImageCommand, SetRepositoryPolicyCommand, TagResourceCommand, UntagResourceCommand } from "@aws-sdk/client-ecr";
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteUserCommand,
  EnableMFADeviceCommand,
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { RepositoryRef } from "./ecr";
import { MANAGED_TAG } from "./managed-mark";

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

  async function hasLoginProfile(userName: string) {
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }));
      return true;
    } catch (error) {
      if (["NoSuchEntity", "NoSuchEntityException"].includes((error as Error).name)) return false;
      throw error;
    }
  }

  return {
    /**
     * A repository with the given image tags and, optionally, a statement of the vendor's own;
     * marked as Pullgate's, as the vendor does for the repositories it sells, unless `unmarked`.
     */
    async createRepository(name: string, opts2: { tags?: string[]; foreignStatement?: object; unmarked?: boolean } = {}): Promise<RepositoryRef> {
      const mark = opts2.unmarked ? [] : [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }];
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name, tags: mark }));
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

    /** Marks a repository as Pullgate's, as the vendor does in the console. */
    async markRepository(repo: RepositoryRef) {
      const resourceArn = `arn:aws:ecr:${repo.region}:${repo.accountId}:repository/${repo.name}`;
      await ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }] }));
    },

    /** Removes a tag, as someone working in the console might. */
    async untagRepository(repo: RepositoryRef, key: string) {
      const resourceArn = `arn:aws:ecr:${repo.region}:${repo.accountId}:repository/${repo.name}`;
      await ecr.send(new UntagResourceCommand({ resourceArn, tagKeys: [key] }));
    },

    /** A user of the vendor's own, or with `marked`, one that looks like Pullgate made it. */
    async createUser(userName: string, path: string, { marked = false } = {}) {
      const Tags = marked ? [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }] : [];
      const out = await iam.send(new CreateUserCommand({ UserName: userName, Path: path, Tags }));
      return { arn: out.User!.Arn!, userId: out.User!.UserId! };
    },

    /**
     * A role of the vendor's own: by default one a service of the account may assume (e.g. its
     * CI's); else with the given path, trust policy and inline policies (by name).
     */
    async createRole(roleName: string, opts2: { path?: string; trustPolicy?: object; inlinePolicies?: Record<string, object> } = {}) {
      const trust = opts2.trustPolicy ?? {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
      };
      const out = await iam.send(new CreateRoleCommand({ RoleName: roleName, Path: opts2.path, AssumeRolePolicyDocument: JSON.stringify(trust) }));
      for (const [PolicyName, document] of Object.entries(opts2.inlinePolicies ?? {})) {
        await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName, PolicyDocument: JSON.stringify(document) }));
      }
      return out.Role!.Arn!;
    },

    async deleteUser(userName: string) {
      await iam.send(new DeleteUserCommand({ UserName: userName }));
    },

    async putUserPolicy(userName: string, policyName: string, document: object) {
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
    },

    async createAccessKey(userName: string) {
      const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      return out.AccessKey!.AccessKeyId!;
    },

    // What an administrator may add to a customer's user by hand, none of which Pullgate creates.
    async createLoginProfile(userName: string) {
      await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: `${randomBytes(18).toString("base64")}aA1!` }));
    },

    async uploadSshPublicKey(userName: string, publicKey: string) {
      await iam.send(new UploadSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyBody: publicKey }));
    },

    async uploadSigningCertificate(userName: string, certificatePem: string) {
      await iam.send(new UploadSigningCertificateCommand({ UserName: userName, CertificateBody: certificatePem }));
    },

    /** A new virtual MFA device, enabled for the user (the emulator takes any two codes); its serial number. */
    async enableVirtualMfaDevice(userName: string, deviceName: string): Promise<string> {
      const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
      const serialNumber = device.VirtualMFADevice!.SerialNumber!;
      await iam.send(
        new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber, AuthenticationCode1: "123456", AuthenticationCode2: "654321" }),
      );
      return serialNumber;
    },

    async addUserToNewGroup(userName: string, groupName: string) {
      await iam.send(new CreateGroupCommand({ GroupName: groupName }));
      await iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName }));
    },

    /**
     * The kinds of things the user still holds that IAM makes DeleteUser wait for, of those the
     * emulator implements, leaving out policies (which it enforces itself).
     */
    async userLeftovers(userName: string): Promise<string[]> {
      const user = { UserName: userName };
      const some = (items: unknown[] | undefined) => Boolean(items?.length);
      const kinds: Record<string, () => Promise<boolean>> = {
        "access keys": async () => some((await iam.send(new ListAccessKeysCommand(user))).AccessKeyMetadata),
        "login profile": () => hasLoginProfile(userName),
        "SSH public keys": async () => some((await iam.send(new ListSSHPublicKeysCommand(user))).SSHPublicKeys),
        "signing certificates": async () => some((await iam.send(new ListSigningCertificatesCommand(user))).Certificates),
        "MFA devices": async () => some((await iam.send(new ListMFADevicesCommand(user))).MFADevices),
        groups: async () => some((await iam.send(new ListGroupsForUserCommand(user))).Groups),
      };
      const held = await Promise.all(Object.entries(kinds).map(async ([kind, holds]) => ((await holds()) ? [kind] : [])));
      return held.flat();
    },

    async groupUserNames(groupName: string): Promise<string[]> {
      const out = await iam.send(new GetGroupCommand({ GroupName: groupName }));
      return (out.Users ?? []).map((u) => u.UserName!);
    },

    async virtualMfaDeviceSerials(): Promise<string[]> {
      const out = await iam.send(new ListVirtualMFADevicesCommand({}));
      return (out.VirtualMFADevices ?? []).map((d) => d.SerialNumber!);
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
    async putTrailLog(bucket: string, key: string, records: object[], opts2: { kmsKeyId?: string } = {}) {
      const encryption = opts2.kmsKeyId ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: opts2.kmsKeyId } : {};
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: records })), ...encryption }));
    },

    destroy() {
      s3.destroy();
      ecr.destroy();
      iam.destroy();
    },
  };
}
