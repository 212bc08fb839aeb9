// Pull history from CloudTrail: log files as a trail delivers them to S3 (moto), read through the
// portal's own least-privilege identity, attributed to the customer whose user or account pulled.
import { afterAll, describe, expect, inject, it } from "vitest";
import { ingestPulls, recentPulls } from "@/lib/activity/ingest-pulls";
import { EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { trailKmsKeyArn } from "../support/aws-oracle/start-aws-oracle";
import { registerProvenAccount } from "../support/customer-aws-account";

const ctx = inject("integration");
const aws = awsAdmin(ctx);

afterAll(async () => {
  aws.destroy();
  await closePools();
});

let sequence = 0;
function record(fields: { eventName?: string; errorCode?: string; userIdentity: object; repositoryName: string; imageIds: object[] }) {
  const { eventName = "BatchGetImage", errorCode, userIdentity, repositoryName, imageIds } = fields;
  return {
    eventVersion: "1.08",
    eventID: `${Date.now().toString(16)}-${process.pid}-${++sequence}`,
    eventTime: new Date(Date.now() - sequence * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "ecr.amazonaws.com",
    eventName,
    awsRegion: ctx.region,
    ...(errorCode ? { errorCode } : {}),
    userIdentity,
    requestParameters: { registryId: ctx.accountId, repositoryName, imageIds, acceptedMediaTypes: ["application/vnd.oci.image.manifest.v1+json"] },
    recipientAccountId: ctx.accountId,
  };
}

describe("pull history", () => {
  it("records each customer's pulls once, by key or by its own account, and nothing of strangers", async () => {
    const { entitlement, repo } = await aws.grantOnNewProduct("pulls");
    const other = await aws.grantOnNewProduct("pulls-other");
    const customerId = entitlement.customerId;
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: customerId } });
    const key = await db.accessKey.findFirstOrThrow({ where: { identityId: identity.id, status: "ACTIVE" } });
    const { accountId: ownAccount } = await registerProvenAccount(customerId);
    const asUser = { type: "IAMUser", userName: identity.userName, accountId: ctx.accountId, accessKeyId: key.accessKeyId };

    const records = [
      record({ userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageTag: "2.0.0" }] }),
      record({ userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageDigest: "sha256:abc" }] }),
      record({ userIdentity: { type: "AssumedRole", accountId: ownAccount, accessKeyId: "ASIAEXAMPLE" }, repositoryName: repo.name, imageIds: [{ imageTag: "1.0.0" }] }),
      // Not pulls, or not this customer's: a failed pull, a login, a stranger, the other customer.
      record({ userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageTag: "9.9.9" }], errorCode: "ImageNotFoundException" }),
      record({ eventName: "GetAuthorizationToken", userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageTag: "x" }] }),
      record({ userIdentity: { type: "IAMUser", userName: "someone-else", accountId: ctx.accountId }, repositoryName: repo.name, imageIds: [{ imageTag: "2.0.0" }] }),
    ];
    const otherIdentity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: other.entitlement.customerId } });
    records.push(record({ userIdentity: { type: "IAMUser", userName: otherIdentity.userName, accountId: ctx.accountId }, repositoryName: "x", imageIds: [{ imageTag: "1" }] }));

    const prefix = trailDayPrefix({ prefix: "", accountId: ctx.accountId, region: ctx.region, day: new Date() });
    const file = `${prefix}${ctx.accountId}_CloudTrail_${ctx.region}_${Date.now()}_${process.pid}.json.gz`;
    await aws.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, file, records);

    const first = await ingestPulls();
    expect(first.files).toBeGreaterThanOrEqual(1);
    const pulls = await recentPulls(customerId);
    expect(pulls.map((p) => [p.repository, p.image, p.accessKeyId, p.sourceAccountId])).toEqual([
      [repo.name, "2.0.0", key.accessKeyId, null],
      [repo.name, "sha256:abc", key.accessKeyId, null],
      [repo.name, "1.0.0", "ASIAEXAMPLE", ownAccount],
    ]);
    expect((await recentPulls(other.entitlement.customerId)).map((p) => p.image)).toEqual(["1"]);

    // Read again (the file is known, and its events too): nothing doubles.
    expect(await ingestPulls()).toMatchObject({ files: 0, pulls: 0 });
    await db.trailLogFile.delete({ where: { key: file } });
    expect(await ingestPulls()).toMatchObject({ files: 1, pulls: 0 });
    expect(await recentPulls(customerId)).toHaveLength(3);
  });

  it("reads log files the trail encrypts with its KMS key, and AWS refuses one under a key the portal was not given", async () => {
    const { entitlement, repo } = await aws.grantOnNewProduct("pulls-kms");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    const asUser = { type: "IAMUser", userName: identity.userName, accountId: ctx.accountId };
    const prefix = trailDayPrefix({ prefix: "", accountId: ctx.accountId, region: ctx.region, day: new Date() });
    const file = (name: string) => `${prefix}${ctx.accountId}_CloudTrail_${ctx.region}_${Date.now()}_${name}.json.gz`;

    await aws.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, file("kms"), [record({ userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageTag: "3.0.0" }] })], {
      kmsKeyId: trailKmsKeyArn(ctx.accountId, ctx.region),
    });
    await ingestPulls();
    expect((await recentPulls(entitlement.customerId)).map((p) => p.image)).toEqual(["3.0.0"]);

    const otherKey = `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/someone-elses`;
    await aws.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, file("other-key"), [record({ userIdentity: asUser, repositoryName: repo.name, imageIds: [{ imageTag: "4.0.0" }] })], {
      kmsKeyId: otherKey,
    });
    expectAccessDenied((d) => d.action === "kms:Decrypt" && d.resource === otherKey);
    await expect(ingestPulls()).rejects.toThrow(/kms:Decrypt/);
  });
});
